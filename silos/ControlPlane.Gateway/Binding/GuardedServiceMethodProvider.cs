using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using Grpc.AspNetCore.Server.Model;
using Grpc.Core;
using Microsoft.AspNetCore.Routing;

namespace ControlPlane.Gateway.Binding;

/// <summary>
/// Binds a gRPC service as grpc-dotnet's own binder does (the generated <c>BindService(ServiceBinderBase, TServiceBase)</c>,
/// one invoker per overridden method, the type's then the method's attributes as endpoint metadata), with every request
/// marshaller wrapped by <see cref="MalformedRequests.Guard"/>. It replaces grpc-dotnet's binder for every service of the
/// host (the API, server reflection and health): see <see cref="GatewayServices.AddControlPlaneGateway"/>.
/// </summary>
public sealed class GuardedServiceMethodProvider<[DynamicallyAccessedMembers(ServiceMembers)] TService> : IServiceMethodProvider<TService>
    where TService : class
{
    private const DynamicallyAccessedMemberTypes ServiceMembers = DynamicallyAccessedMemberTypes.PublicConstructors | DynamicallyAccessedMemberTypes.PublicMethods;

    public void OnServiceMethodDiscovery(ServiceMethodProviderContext<TService> context)
    {
        for (Type? type = typeof(TService); type is not null; type = type.BaseType)
        {
            if (type.GetCustomAttribute<BindServiceMethodAttribute>(inherit: false) is not { } bind) continue;
            var method = bind.BindType.GetMethod(bind.BindMethodName, BindingFlags.Public | BindingFlags.Static, [typeof(ServiceBinderBase), type])
                ?? throw new InvalidOperationException($"{bind.BindType}.{bind.BindMethodName} not found for gRPC service {typeof(TService).Name}");
            // The generated base class the service's methods override: BindService's second parameter.
            method.Invoke(null, [new Binder(context, method.GetParameters()[1].ParameterType), null]);
            return;
        }
        throw new InvalidOperationException($"gRPC service {typeof(TService).Name} has no generated base class with [BindServiceMethod]");
    }

    private sealed class Binder(ServiceMethodProviderContext<TService> context, Type serviceBase) : ServiceBinderBase
    {
        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, UnaryServerMethod<TRequest, TResponse>? handler)
        {
            var (invoker, metadata) = Invoker<UnaryServerMethod<TService, TRequest, TResponse>>(method.Name, typeof(TRequest), typeof(ServerCallContext));
            context.AddUnaryMethod(MalformedRequests.Guard(method), metadata, invoker);
        }

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ServerStreamingServerMethod<TRequest, TResponse>? handler)
        {
            var (invoker, metadata) = Invoker<ServerStreamingServerMethod<TService, TRequest, TResponse>>(method.Name,
                typeof(TRequest), typeof(IServerStreamWriter<TResponse>), typeof(ServerCallContext));
            context.AddServerStreamingMethod(MalformedRequests.Guard(method), metadata, invoker);
        }

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ClientStreamingServerMethod<TRequest, TResponse>? handler)
        {
            var (invoker, metadata) = Invoker<ClientStreamingServerMethod<TService, TRequest, TResponse>>(method.Name,
                typeof(IAsyncStreamReader<TRequest>), typeof(ServerCallContext));
            context.AddClientStreamingMethod(MalformedRequests.Guard(method), metadata, invoker);
        }

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, DuplexStreamingServerMethod<TRequest, TResponse>? handler)
        {
            var (invoker, metadata) = Invoker<DuplexStreamingServerMethod<TService, TRequest, TResponse>>(method.Name,
                typeof(IAsyncStreamReader<TRequest>), typeof(IServerStreamWriter<TResponse>), typeof(ServerCallContext));
            context.AddDuplexStreamingMethod(MalformedRequests.Guard(method), metadata, invoker);
        }

        private (TDelegate Invoker, List<object> Metadata) Invoker<TDelegate>(string name, params Type[] parameters) where TDelegate : Delegate
        {
            var handler = Override(name, parameters) ?? throw new InvalidOperationException($"{typeof(TService).Name} does not override {name}");
            // The type's attributes first, the method's last: the method's win, as with grpc-dotnet's binder.
            List<object> metadata = [.. typeof(TService).GetCustomAttributes(inherit: true), .. handler.GetCustomAttributes(inherit: true),
                new HttpMethodMetadata(["POST"], acceptCorsPreflight: true)];
            return ((TDelegate)Delegate.CreateDelegate(typeof(TDelegate), handler), metadata);
        }

        /// <summary>The public instance method overriding the generated base's virtual one (a method that merely hides it is skipped).</summary>
        private MethodInfo? Override(string name, Type[] parameters)
        {
            for (Type? type = typeof(TService); type is not null; type = type.BaseType)
            {
                var found = type.GetMethod(name, BindingFlags.Public | BindingFlags.Instance, parameters);
                if (found is null) return null;
                if (found.IsVirtual && found.GetBaseDefinition().DeclaringType == serviceBase) return found;
            }
            return null;
        }
    }
}

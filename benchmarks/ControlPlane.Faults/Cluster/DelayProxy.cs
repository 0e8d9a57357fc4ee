using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;

namespace ControlPlane.Faults.Cluster;

/// <summary>
/// A userspace TCP proxy that delays every chunk it relays, in both directions, by a time drawn between
/// a minimum and a maximum, keeping the byte order (this kernel has no netem). On one host it listens on
/// an ephemeral loopback port and connects to its target from <see cref="Source"/>, so that the nft rule
/// steering connections into it can leave its own connections alone; in the two-centre layout it listens
/// on the bridge's address in the root namespace, outside the namespaces whose rules steer into it.
/// </summary>
internal sealed class DelayProxy : IAsyncDisposable
{
    /// <summary>The proxy's own source address on loopback.</summary>
    public static readonly IPAddress Source = IPAddress.Parse("127.0.0.2");

    private readonly TcpListener _listener;
    private readonly IPEndPoint _target;
    private readonly IPAddress _source;
    private readonly TimeSpan _min;
    private readonly TimeSpan _max;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;

    private DelayProxy(IPAddress listen, IPEndPoint target, IPAddress source, TimeSpan min, TimeSpan max)
    {
        (_target, _source, _min, _max) = (target, source, min, max);
        _listener = new TcpListener(listen, 0);
        _listener.Start();
        _accepting = AcceptAsync();
    }

    private int _connections;
    private long _bytes;

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Connections relayed so far: the proof that the steering rules sent traffic through the proxy.</summary>
    public int Connections => Volatile.Read(ref _connections);

    public long Bytes => Interlocked.Read(ref _bytes);

    /// <summary>A proxy on loopback to <paramref name="targetPort"/> of loopback, connecting from <see cref="Source"/>.</summary>
    public static DelayProxy Start(int targetPort, TimeSpan min, TimeSpan max) =>
        new(IPAddress.Loopback, new IPEndPoint(IPAddress.Loopback, targetPort), Source, min, max);

    /// <summary>A proxy listening on <paramref name="listen"/> (an ephemeral port) to <paramref name="target"/>, connecting from <paramref name="listen"/> too.</summary>
    public static DelayProxy Start(IPAddress listen, IPEndPoint target, TimeSpan min, TimeSpan max) => new(listen, target, listen, min, max);

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            Interlocked.Increment(ref _connections);
            _ = RelayAsync(client);
        }
    }

    private async Task RelayAsync(Socket client)
    {
        using var server = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using var _ = client;
        client.NoDelay = true;
        try
        {
            server.Bind(new IPEndPoint(_source, 0));
            await server.ConnectAsync(_target, _stop.Token);
            // The first direction to end ends the relay: Orleans never half-closes a connection.
            await Task.WhenAny(PumpAsync(client, server), PumpAsync(server, client));
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // a side closed or the proxy stopped: both sockets close
        }
    }

    /// <summary>Reads from <paramref name="from"/> and writes each chunk to <paramref name="to"/> once its delay has passed.</summary>
    private async Task PumpAsync(Socket from, Socket to)
    {
        var chunks = Channel.CreateUnbounded<(DateTimeOffset Due, byte[] Data)>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        var writing = WriteAsync(chunks.Reader, to);
        var buffer = new byte[64 * 1024];
        var lastDue = DateTimeOffset.MinValue;
        try
        {
            while (true)
            {
                var read = await from.ReceiveAsync(buffer, SocketFlags.None, _stop.Token);
                if (read == 0) break;
                Interlocked.Add(ref _bytes, read);
                var delay = _min + (_max - _min) * Random.Shared.NextDouble();
                var due = DateTimeOffset.UtcNow + delay;
                lastDue = due > lastDue ? due : lastDue;
                chunks.Writer.TryWrite((lastDue, buffer[..read]));
            }
        }
        finally
        {
            chunks.Writer.TryComplete();
            await writing;
        }
    }

    private async Task WriteAsync(ChannelReader<(DateTimeOffset Due, byte[] Data)> chunks, Socket to)
    {
        try
        {
            await foreach (var (due, data) in chunks.ReadAllAsync(_stop.Token))
            {
                var wait = due - DateTimeOffset.UtcNow;
                if (wait > TimeSpan.Zero) await Task.Delay(wait, _stop.Token);
                await to.SendAsync(data, SocketFlags.None, _stop.Token);
            }
            to.Shutdown(SocketShutdown.Send);
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // the other side went away: the relay ends
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        _stop.Dispose();
    }
}

using System.Net.Http;
using System.Net.Sockets;
using ControlPlane.Faults.Load;
using Grpc.Core;

namespace ControlPlane.Faults.Tests;

public sealed class LoadGeneratorTests
{
    [Fact]
    public void A_status_the_client_made_up_for_a_dead_connection_is_no_answer_but_one_a_server_sent_is_kept()
    {
        var ping = new RpcException(new Status(StatusCode.Internal, "Error starting gRPC call.",
            new HttpRequestException("The HTTP/2 server didn't respond to a ping request within the configured KeepAlivePingDelay.")));
        var refused = new RpcException(new Status(StatusCode.Unavailable, "Error connecting to subchannel.",
            new HttpRequestException("Connection refused", new SocketException((int)SocketError.ConnectionRefused))));
        var sent = new RpcException(new Status(StatusCode.Internal, "Exception was thrown by handler."));

        Assert.True(LoadGenerator.ConnectionLost(ping));
        Assert.True(LoadGenerator.ConnectionLost(refused));
        Assert.False(LoadGenerator.ConnectionLost(sent));
        Assert.Equal("DEADLINE_EXCEEDED", LoadGenerator.Name(StatusCode.DeadlineExceeded));
        Assert.Equal("UNKNOWN", LoadGenerator.Name(StatusCode.Unknown));
    }
}

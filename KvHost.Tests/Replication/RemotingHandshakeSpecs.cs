using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Akka.Actor;
using KvActors.Replication;
using KvHost.Tests.TestKit;

namespace KvHost.Tests.Replication;

/// <summary>
/// Akka.Remote connections whose TLS handshake is slow or cut short: real nodes on loopback, real
/// TLS clients holding the cluster certificate.
/// </summary>
public sealed class RemotingHandshakeSpecs
{
    [Fact]
    public async Task A_follower_waits_for_a_leader_that_stalls_seconds_in_its_TLS_handshake()
    {
        await using var cluster = await InProcessCluster.StartAsync(followers: 1, writeQuorum: 1);
        var follower = cluster.FollowerStores[0].Address;
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(follower.Host!, follower.Port!.Value);

        // A leader just started on a busy machine: its first handshakes stalled for over a second,
        // and a follower that closed the connection meanwhile failed them.
        using var certificate = X509CertificateLoader.LoadPkcs12FromFile(TestCertificates.Cluster, null);
        await using var tls = new SslStream(new StallingStream(tcp.GetStream(), TimeSpan.FromSeconds(5)));
        var handshake = () => tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = follower.Host,
            ClientCertificates = [certificate],
            RemoteCertificateValidationCallback = (_, _, _, _) => true,
        });

        await handshake.Should().NotThrowAsync("the follower waits 10 s (akka.hocon kvstore.follower) for a connection's handshakes, not 1 s");
        tls.IsMutuallyAuthenticated.Should().BeTrue();
    }

    [Fact]
    public async Task A_node_whose_TLS_handshake_is_cut_short_keeps_running_and_replicating()
    {
        // Arrange: a real follower, and a port that takes a connection and closes it mid-handshake,
        // as a follower stopping while the leader connects to it does.
        await using var cluster = await InProcessCluster.StartAsync(followers: 1, writeQuorum: 1);
        using var cutter = new TcpListener(IPAddress.Loopback, 0);
        cutter.Start();
        var cutting = CutShortAsync(cutter);
        var cut = ActorPath.Parse($"akka.ssl.tcp://kv@127.0.0.1:{((IPEndPoint)cutter.LocalEndpoint).Port}/user/store");
        await using var node = new RemoteReplicator(TestCertificates.Cluster);

        // Act: Akka.Remote runs CoordinatedShutdown for the failed handshake (exit code 79).
        var toCut = () => node.ReplicateAsync(cut, Entries.Put(1, "k", 1), TimeSpan.FromSeconds(3));
        await toCut.Should().ThrowAsync<AskTimeoutException>();
        await cutting;

        // Assert: akka.hocon keeps the actor system, and it still replicates.
        node.WhenTerminated.IsCompleted.Should().BeFalse("CoordinatedShutdown does not terminate a node's actor system (akka.hocon)");
        var epoch = (await cluster.GetJsonAsync(cluster.Followers[0], "/status")).GetProperty("epoch").GetInt64();
        var reply = await node.ReplicateAsync(cluster.FollowerStores[0], Entries.Put(1_000, "k", 1, epoch));
        reply.Should().BeOfType<ReplicationMessages.Replicated>("the follower took the entry (held back, acknowledged on receipt)").Which.Seq.Should().Be(1_000);
    }

    // Takes one connection, reads the client's hello and closes the connection.
    private static async Task CutShortAsync(TcpListener listener)
    {
        using var client = await listener.AcceptTcpClientAsync();
        var hello = new byte[512];
        _ = await client.GetStream().ReadAsync(hello);
    }

    // Sends the client's first flight (its ClientHello) at once and holds every later write back by
    // the stall: a client whose handshake stops halfway.
    private sealed class StallingStream(Stream inner, TimeSpan stall) : Stream
    {
        private int _writes;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (Interlocked.Increment(ref _writes) > 1)
            {
                await Task.Delay(stall, cancellationToken);
            }

            await inner.WriteAsync(buffer, cancellationToken);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => inner.ReadAsync(buffer, cancellationToken);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => inner.ReadAsync(buffer, offset, count, cancellationToken);

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("async only");

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("async only");

        public override void Flush() => inner.Flush();

        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}

using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using KvHost.Tests.TestKit;

namespace KvHost.Tests.Replication;

/// <summary>
/// How long a follower's Akka.Remote port waits for the handshakes of a connection it accepted: a
/// real follower on loopback, reached by a real TLS client holding the cluster certificate.
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
        // and a follower that closed the connection meanwhile stopped it (Akka.Remote exit code 79).
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

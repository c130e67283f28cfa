using System.Net;
using System.Net.Sockets;

namespace KvPerf.Tests.TestKit;

/// <summary>Runs of consecutive loopback ports nothing listens on, for servers that take a base port.</summary>
internal static class FreePorts
{
    private static int _next = 23000 + (Environment.ProcessId % 2000 * 10);

    /// <summary>The first of <paramref name="count"/> consecutive ports that are all free right now.</summary>
    public static int Consecutive(int count)
    {
        while (true)
        {
            var start = Interlocked.Add(ref _next, count) - count;
            if (Enumerable.Range(start, count).All(IsFree))
            {
                return start;
            }
        }
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}

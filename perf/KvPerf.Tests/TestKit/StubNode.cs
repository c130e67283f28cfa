using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace KvPerf.Tests.TestKit;

/// <summary>
/// A real HTTP server on a free loopback port that answers each request with what a handler
/// returns: a stand-in node that speaks the shared/API.md wire format, so the program's client,
/// load and probe run over real sockets without a cluster. Requests are served concurrently.
/// </summary>
internal sealed class StubNode : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Func<string, string, string, Task<(int Status, string Json, IReadOnlyDictionary<string, string> Headers)>> _handler;
    private readonly Task _loop;
    private readonly ConcurrentDictionary<int, byte> _clientPorts = new();

    /// <param name="handler">(method, path, request body) to (status, JSON body).</param>
    public StubNode(Func<string, string, string, Task<(int Status, string Json)>> handler)
        : this(async (method, path, body) =>
        {
            var (status, json) = await handler(method, path, body);
            return (status, json, NoHeaders);
        })
    {
    }

    /// <param name="handler">(method, path, request body) to (status, JSON body, response headers).</param>
    public StubNode(Func<string, string, string, Task<(int Status, string Json, IReadOnlyDictionary<string, string> Headers)>> handler)
    {
        _handler = handler;
        Uri = new Uri($"http://127.0.0.1:{FreePort()}/");
        _listener.Prefixes.Add(Uri.ToString());
        _listener.Start();
        _loop = Task.Run(AcceptAsync);
    }

    public Uri Uri { get; }

    private static IReadOnlyDictionary<string, string> NoHeaders { get; } = new Dictionary<string, string>();

    /// <summary>The client ports requests came from: one per TCP connection the clients opened.</summary>
    public IReadOnlyCollection<int> ClientPorts => _clientPorts.Keys.ToArray();

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        await _loop;
    }

    private async Task AcceptAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return; // stopped
            }

            _ = Task.Run(() => ServeAsync(context));
        }
    }

    private async Task ServeAsync(HttpListenerContext context)
    {
        _clientPorts.TryAdd(context.Request.RemoteEndPoint.Port, 0);
        using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
        var body = await reader.ReadToEndAsync();
        var (status, json, headers) = await _handler(context.Request.HttpMethod, context.Request.Url!.AbsolutePath, body);
        var bytes = Encoding.UTF8.GetBytes(json);
        context.Response.StatusCode = status;
        foreach (var (name, value) in headers)
        {
            context.Response.AddHeader(name, value);
        }

        context.Response.ContentType = "application/json";
        context.Response.ContentLength64 = bytes.Length;
        await context.Response.OutputStream.WriteAsync(bytes);
        context.Response.Close();
    }

    private static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }
}

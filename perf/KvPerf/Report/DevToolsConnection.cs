using System.Buffers;
using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text.Json;

namespace KvPerf.Report;

/// <summary>
/// A client of the Chrome DevTools Protocol over one WebSocket (one page target): commands are
/// JSON <c>{"id", "method", "params"}</c> answered by <c>{"id", "result"}</c> or <c>{"id", "error"}</c>;
/// everything else the browser sends is an event <c>{"method", "params"}</c>. Only what the report
/// check needs: send a command, await its result, hear events.
/// </summary>
internal sealed class DevToolsConnection : IAsyncDisposable
{
    private readonly ClientWebSocket _socket;
    private readonly ConcurrentDictionary<int, (string Method, TaskCompletionSource<JsonElement> Result)> _pending = new();
    private readonly SemaphoreSlim _sending = new(1, 1);
    private readonly CancellationTokenSource _closing = new();
    private readonly Action<string, JsonElement> _onEvent;
    private readonly Task _receiving;
    private int _lastId;

    private DevToolsConnection(ClientWebSocket socket, Action<string, JsonElement> onEvent)
    {
        _socket = socket;
        _onEvent = onEvent;
        _receiving = Task.Run(ReceiveAsync);
    }

    /// <summary>
    /// Connects to <paramref name="endpoint"/> (a target's <c>webSocketDebuggerUrl</c>).
    /// <paramref name="onEvent"/> gets each event's method and params, on the receiving thread,
    /// one at a time.
    /// </summary>
    public static async Task<DevToolsConnection> ConnectAsync(Uri endpoint, Action<string, JsonElement> onEvent, CancellationToken ct)
    {
        // No Origin header: Chromium refuses DevTools WebSockets from a web origin it was not told to allow.
        var socket = new ClientWebSocket();
        try
        {
            await socket.ConnectAsync(endpoint, ct);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        return new DevToolsConnection(socket, onEvent);
    }

    /// <summary>Sends <paramref name="method"/> and returns its <c>result</c> object.</summary>
    /// <exception cref="InvalidOperationException">The browser answered with an error, or the connection closed first.</exception>
    public async Task<JsonElement> SendAsync(string method, object? parameters, CancellationToken ct)
    {
        var id = Interlocked.Increment(ref _lastId);
        var result = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = (method, result);
        var message = JsonSerializer.SerializeToUtf8Bytes(new { id, method, @params = parameters ?? new { } });
        await _sending.WaitAsync(ct);
        try
        {
            await _socket.SendAsync(message, WebSocketMessageType.Text, endOfMessage: true, ct);
        }
        finally
        {
            _sending.Release();
        }

        if (_receiving.IsCompleted)
        {
            // The receiver may have failed the pending commands before this one was registered.
            Fail(id, "the DevTools connection closed");
        }

        return await result.Task.WaitAsync(ct);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _closing.CancelAsync();
        try
        {
            await _receiving;
        }
        catch (OperationCanceledException)
        {
            // Closing is what stopped it.
        }

        _socket.Dispose();
        _sending.Dispose();
        _closing.Dispose();
    }

    private async Task ReceiveAsync()
    {
        var buffer = new ArrayBufferWriter<byte>();
        try
        {
            while (_socket.State == WebSocketState.Open)
            {
                // A screenshot's result is hundreds of kB: a message comes in several frames.
                ValueWebSocketReceiveResult frame;
                do
                {
                    frame = await _socket.ReceiveAsync(buffer.GetMemory(64 * 1024), _closing.Token);
                    buffer.Advance(frame.Count);
                }
                while (!frame.EndOfMessage && frame.MessageType != WebSocketMessageType.Close);

                if (frame.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }

                Dispatch(buffer.WrittenMemory);
                buffer.ResetWrittenCount();
            }
        }
        catch (WebSocketException)
        {
            // The browser went away (killed at the end, or crashed): the pending commands fail below.
        }
        finally
        {
            foreach (var id in _pending.Keys)
            {
                Fail(id, "the DevTools connection closed");
            }
        }
    }

    private void Dispatch(ReadOnlyMemory<byte> message)
    {
        using var document = JsonDocument.Parse(message);
        var root = document.RootElement;
        if (root.TryGetProperty("id", out var id))
        {
            if (!_pending.TryRemove(id.GetInt32(), out var pending))
            {
                return;
            }

            if (root.TryGetProperty("error", out var error))
            {
                pending.Result.TrySetException(new InvalidOperationException(
                    $"DevTools {pending.Method} failed: {error.GetProperty("message").GetString()}"));
            }
            else
            {
                pending.Result.TrySetResult(root.TryGetProperty("result", out var result) ? result.Clone() : default);
            }
        }
        else if (root.TryGetProperty("method", out var method))
        {
            _onEvent(method.GetString()!, root.TryGetProperty("params", out var parameters) ? parameters.Clone() : default);
        }
    }

    private void Fail(int id, string why)
    {
        if (_pending.TryRemove(id, out var pending))
        {
            pending.Result.TrySetException(new InvalidOperationException($"DevTools {pending.Method}: {why}."));
        }
    }
}

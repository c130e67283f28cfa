using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;

namespace KvHost.Tests.Compose.Faults;

/// <summary>
/// A steady write load on the leader: <see cref="Writers"/> concurrent writers, each PUTting a fresh
/// key <c>{prefix}-{n}</c> with value <c>n</c>, one write after another. Every key is written once,
/// so the leader's final <c>/kv</c> can be checked as a set (Jepsen's set workload): each
/// acknowledged key must be in it, and nothing that was never attempted.
/// </summary>
internal sealed class WriteLoad : IAsyncDisposable
{
    public const int Writers = 4;

    // A short pause between a writer's writes keeps six nodes and the test on 2 cores from being
    // saturated by the load itself; after an unavailable answer (leader down) a longer one, so a
    // dead leader does not turn into thousands of refused connections.
    private static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan PauseWhenUnavailable = TimeSpan.FromMilliseconds(200);

    private readonly ConcurrentQueue<WriteRecord> _records = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Stopwatch _clock;
    private readonly string _prefix;
    private readonly Uri _leader;
    private long _next;
    private Task _writers = Task.CompletedTask;

    // Longer than REPLICATION_TIMEOUT_MS plus any margin: a late 504 must show up as late, not as a client timeout.
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(15) };

    public WriteLoad(Uri leader, string prefix, Stopwatch clock)
    {
        _leader = leader;
        _prefix = prefix;
        _clock = clock;
    }

    public IReadOnlyList<WriteRecord> Records => [.. _records.OrderBy(r => r.N)];

    public void Start() => _writers = Task.WhenAll(Enumerable.Range(0, Writers).Select(_ => Task.Run(WriteUntilStoppedAsync)));

    /// <summary>Starts no more writes and waits for the ones in flight to be answered.</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await _writers;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _stop.Dispose();
        _http.Dispose();
    }

    private async Task WriteUntilStoppedAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var record = await WriteOnceAsync(Interlocked.Increment(ref _next));
            _records.Enqueue(record);
            var pause = record.Outcome == WriteOutcome.Unavailable ? PauseWhenUnavailable : Pause;
            try
            {
                await Task.Delay(pause, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    // The write itself is never cancelled by Stop: a write in flight is waited for, so its outcome is known.
    private async Task<WriteRecord> WriteOnceAsync(long n)
    {
        var key = $"{_prefix}-{n}";
        var start = _clock.Elapsed.TotalMilliseconds;
        try
        {
            using var response = await _http.PutAsJsonAsync(new Uri(_leader, $"/kv/{key}"), new { value = n });
            var body = await response.Content.ReadAsStringAsync();
            var end = _clock.Elapsed.TotalMilliseconds;
            var json = TryParse(body);
            return new WriteRecord(
                n, key, start, end, (int)response.StatusCode,
                Int(json, "acks"), Int(json, "writeQuorum"), Long(json, "seq"),
                json is { } j && j.TryGetProperty("type", out var type) ? type.GetString() : null,
                null);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return new WriteRecord(n, key, start, _clock.Elapsed.TotalMilliseconds, null, null, null, null, null, $"{ex.GetType().Name}: {ex.Message}");
        }
    }

    private static JsonElement? TryParse(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.ValueKind == JsonValueKind.Object ? document.RootElement.Clone() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static int? Int(JsonElement? json, string name) =>
        json is { } j && j.TryGetProperty(name, out var v) && v.TryGetInt32(out var i) ? i : null;

    private static long? Long(JsonElement? json, string name) =>
        json is { } j && j.TryGetProperty(name, out var v) && v.TryGetInt64(out var l) ? l : null;
}

using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace KvPerf.Client;

/// <summary>
/// The experiment's HTTP/JSON client for one node of the cluster, per shared/API.md. It shares
/// one pooled <see cref="HttpClient"/>, so the 10 concurrent writers reuse warm connections and a
/// write's latency holds the store's work, not a TCP handshake.
/// </summary>
public sealed class KvClient
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly HttpClient _http;
    private readonly Uri _baseUri;

    /// <summary>Creates a client for the node at <paramref name="baseUri"/> (e.g. http://127.0.0.1:8000).</summary>
    public KvClient(HttpClient http, Uri baseUri)
    {
        _http = http;
        _baseUri = baseUri;
    }

    /// <summary>The node's base address.</summary>
    public Uri BaseUri => _baseUri;

    /// <summary>
    /// Writes <paramref name="value"/> to <paramref name="key"/> and times it on the client with a
    /// <see cref="Stopwatch"/>, from sending the request to having read the whole answer, and reads
    /// the injected delay the leader names in its <c>Server-Timing</c> header. Every
    /// failure (non-200, unreadable body, transport error, client timeout) becomes a failed
    /// outcome rather than an exception, so one bad write cannot end a run; cancellation still
    /// throws.
    /// </summary>
    public async Task<WriteOutcome> PutAsync(string key, JsonElement value, CancellationToken ct)
    {
        var uri = new Uri(_baseUri, $"/kv/{Uri.EscapeDataString(key)}");
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var response = await _http.PutAsJsonAsync(uri, new { value }, Json, ct);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                // Drain the problem document so the connection goes back to the pool.
                await response.Content.ReadAsByteArrayAsync(ct);
                return Failed(started, $"HTTP {(int)response.StatusCode}");
            }

            var answer = await response.Content.ReadFromJsonAsync<WriteAnswer>(Json, ct);
            var latencyMs = ElapsedMs(started);
            if (answer is null)
            {
                return Failed(started, "empty answer");
            }

            var quorumDelayMs = response.Headers.TryGetValues(ServerTiming.HeaderName, out var timings)
                ? ServerTiming.DurationMs(timings, ServerTiming.QuorumDelayMetric)
                : null;
            return new WriteOutcome(latencyMs, answer, null, quorumDelayMs);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return Failed(started, "client timeout");
        }
        catch (HttpRequestException ex)
        {
            return Failed(started, $"transport: {ex.HttpRequestError}");
        }
        catch (JsonException)
        {
            return Failed(started, "malformed answer");
        }
    }

    /// <summary>
    /// Runs this process's side of a write once without sending it: serializing the request body
    /// the way <see cref="PutAsync"/> does and reading an answer. The first use of a JSON contract
    /// builds its metadata and JITs its code, tens to hundreds of ms on two busy cores, and
    /// otherwise lands on the first ten writes of the first run as if the store were slow.
    /// </summary>
    public static async Task WarmUpWriteSerializationAsync(CancellationToken ct)
    {
        var value = JsonSerializer.SerializeToElement(new { write = 0 });
        using var body = JsonContent.Create(new { value }, options: Json);
        await body.CopyToAsync(Stream.Null, ct);
        _ = JsonSerializer.Deserialize<WriteAnswer>("""{"key": "k0", "seq": 1, "acks": 1, "writeQuorum": 1}""", Json);
    }

    /// <summary>Reads the node's whole store, <c>GET /kv</c>.</summary>
    public async Task<KvSnapshot> GetAllAsync(CancellationToken ct)
    {
        var snapshot = await _http.GetFromJsonAsync<KvSnapshot>(new Uri(_baseUri, "/kv"), Json, ct);
        return snapshot ?? throw new InvalidDataException($"{_baseUri}kv answered null.");
    }

    /// <summary>Reads <c>GET /status</c>.</summary>
    public async Task<NodeStatus> GetStatusAsync(CancellationToken ct)
    {
        var status = await _http.GetFromJsonAsync<NodeStatus>(new Uri(_baseUri, "/status"), Json, ct);
        return status ?? throw new InvalidDataException($"{_baseUri}status answered null.");
    }

    /// <summary>
    /// Whether <c>GET /health</c> answers 200 now; any failure to connect is simply "not yet".
    /// </summary>
    public async Task<bool> IsHealthyAsync(CancellationToken ct)
    {
        try
        {
            using var response = await _http.GetAsync(new Uri(_baseUri, "/health"), ct);
            return response.StatusCode == HttpStatusCode.OK;
        }
        catch (HttpRequestException)
        {
            return false;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return false;
        }
    }

    private static WriteOutcome Failed(long started, string reason) =>
        new(ElapsedMs(started), null, reason);

    private static double ElapsedMs(long started) => Stopwatch.GetElapsedTime(started).TotalMilliseconds;
}

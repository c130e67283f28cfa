using System.Net.Http.Json;
using System.Text.Json;

namespace KvActors.Replication.CatchUp;

/// <summary>
/// What every node-to-node request shares: the JSON options of the wire records (web defaults,
/// camelCase), and the one way to GET a replication document with a per-request time limit, used by a
/// follower's catch-up and a restarted leader's recovery alike.
/// </summary>
internal static class ReplicationHttp
{
    /// <summary>The options every replication body is written and read with.</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>GETs <paramref name="url"/> and reads its 200 body as <typeparamref name="T"/>.</summary>
    /// <exception cref="HttpRequestException">Unreachable, or an answer other than 2xx (the message names the path and status).</exception>
    /// <exception cref="JsonException">The body is not a <typeparamref name="T"/>, or empty.</exception>
    /// <exception cref="OperationCanceledException">
    /// <paramref name="timeout"/> passed (then <paramref name="cancellationToken"/> is not cancelled), or the caller cancelled.
    /// </exception>
    public static async Task<T> GetJsonAsync<T>(this HttpClient http, Uri url, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        using var response = await http.GetAsync(url, limit.Token);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"GET {url.PathAndQuery} answered {(int)response.StatusCode}", null, response.StatusCode);
        }

        return await response.Content.ReadFromJsonAsync<T>(Json, limit.Token)
            ?? throw new JsonException($"GET {url.PathAndQuery} answered an empty body");
    }
}

using System.Globalization;

namespace KvHost.Hosting;

/// <summary>
/// <c>KvHost healthcheck</c>: asks this container's own node for <c>GET /health</c> and exits 0 when it
/// answers 200. The compose healthcheck runs it because the base image has no curl or wget.
/// </summary>
public static class HealthCheckCommand
{
    /// <summary>The argument that selects this mode.</summary>
    public const string Verb = "healthcheck";

    /// <summary>True when the process was started as a healthcheck.</summary>
    /// <param name="args">The command-line arguments.</param>
    /// <returns>Whether the first argument is <see cref="Verb"/>.</returns>
    public static bool IsRequested(string[] args) =>
        args is [Verb, ..];

    /// <summary>Probes <c>http://127.0.0.1:$PORT/health</c> with a 3 s timeout.</summary>
    /// <returns>0 when healthy, 1 otherwise (the exit code Docker reads).</returns>
    public static async Task<int> RunAsync()
    {
        var port = int.TryParse(Environment.GetEnvironmentVariable("PORT"), NumberStyles.None, CultureInfo.InvariantCulture, out var p) ? p : 8080;
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(3) };
        try
        {
            using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{port}/health"));
            return response.IsSuccessStatusCode ? 0 : 1;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            await Console.Error.WriteLineAsync($"healthcheck: {ex.Message}");
            return 1;
        }
    }
}

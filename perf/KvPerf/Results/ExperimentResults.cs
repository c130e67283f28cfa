using System.Text.Json;
using System.Text.Json.Serialization;

namespace KvPerf.Results;

/// <summary>
/// The whole experiment as written to <c>results/quorum-latency.json</c>:
/// <c>{"config": {...}, "sweeps": [{"ackMode", "runs": [...]}, ...]}</c>, camelCase, the shape
/// issue 3 gives. The report is built from this object only, so it can be rebuilt from the file.
/// </summary>
/// <param name="Config">The settings measured with.</param>
/// <param name="Sweeps">One per ack mode.</param>
public sealed record ExperimentResults(ExperimentConfig Config, IReadOnlyList<SweepResult> Sweeps)
{
    /// <summary>The file's serializer settings: camelCase, indented for diffs and readers.</summary>
    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    /// <summary>Writes the results to <paramref name="path"/>, replacing it only once fully written.</summary>
    public async Task WriteAsync(string path, CancellationToken ct)
    {
        // Write beside and move, so an interrupted run never leaves half a results file.
        var temporary = path + ".tmp";
        await using (var stream = File.Create(temporary))
        {
            await JsonSerializer.SerializeAsync(stream, this, JsonOptions, ct);
        }

        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Reads results written by <see cref="WriteAsync"/>.</summary>
    public static async Task<ExperimentResults> ReadAsync(string path, CancellationToken ct)
    {
        await using var stream = File.OpenRead(path);
        var results = await JsonSerializer.DeserializeAsync<ExperimentResults>(stream, JsonOptions, ct);
        return results ?? throw new InvalidDataException($"{path} holds no results.");
    }
}

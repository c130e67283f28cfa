using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace KvPerf.Results;

/// <summary>
/// How every results file of perf/ is written and read: camelCase JSON, indented for diffs and
/// readers, and never left half-written.
/// </summary>
public static class ResultsFile
{
    /// <summary>The files' serializer settings.</summary>
    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        // The files are read as JSON, never pasted into HTML: keep quotes in values (a JSON value
        // as text) readable rather than \u0022.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Writes <paramref name="results"/> to <paramref name="path"/>, replacing it only once fully written.</summary>
    public static async Task WriteAsync<T>(T results, string path, CancellationToken ct)
    {
        // Write beside and move, so an interrupted run never leaves half a results file.
        var temporary = path + ".tmp";
        await using (var stream = File.Create(temporary))
        {
            await JsonSerializer.SerializeAsync(stream, results, JsonOptions, ct);
        }

        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Reads results written by <see cref="WriteAsync{T}"/>.</summary>
    /// <exception cref="InvalidDataException">The file holds <c>null</c>.</exception>
    public static async Task<T> ReadAsync<T>(string path, CancellationToken ct)
    {
        await using var stream = File.OpenRead(path);
        var results = await JsonSerializer.DeserializeAsync<T>(stream, JsonOptions, ct);
        return results ?? throw new InvalidDataException($"{path} holds no results.");
    }
}

using System.Globalization;
using System.Text.Json;

namespace KvHost.Tests.Compose.Faults;

/// <summary>
/// One scenario's figures: what <c>RELIABILITY.md</c> tabulates. Appended as one JSON line to the
/// file named by <c>KVSTORE_RELIABILITY_OUT</c>, if set, before the scenario's assertions run, so a
/// failing scenario still leaves its figures.
/// </summary>
public sealed record ScenarioFigures(
    string Fault,
    int WriteQuorum,
    string AckMode,
    int MaxDelayMs,
    int ReplicationTimeoutMs,
    string Target,
    int Writers,
    double FaultSeconds,
    double LoadSeconds,
    double LoadWritesPerSecond,
    int Attempted,
    int Acknowledged,
    int NotAcknowledged504,
    int Unavailable,
    int Lost,
    int Unexpected,
    int Recovered,
    double? Max504Ms,
    double? CatchUpMs,
    double? ConvergeMs,
    string ConvergedBy,
    int AppliedSeqBackwardSteps,
    int Violations,
    string StartedUtc)
{
    public const string OutputVariable = "KVSTORE_RELIABILITY_OUT";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    // Appends from one test at a time (the compose collection never runs in parallel), so no lock.
    public async Task AppendIfRequestedAsync()
    {
        if (Environment.GetEnvironmentVariable(OutputVariable) is not { Length: > 0 } path)
        {
            return;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        await File.AppendAllTextAsync(path, JsonSerializer.Serialize(this, Json) + "\n");
    }

    public string Summary() => string.Create(
        CultureInfo.InvariantCulture,
        $"{Fault} W={WriteQuorum} {AckMode}: {Target} out {FaultSeconds:F1} s; {LoadWritesPerSecond:F1} writes/s from {Writers} writers; "
        + $"attempted {Attempted}, acknowledged {Acknowledged}, 504 {NotAcknowledged504}, unavailable {Unavailable}, "
        + $"lost {Lost}, unexpected {Unexpected}, recovered {Recovered}; "
        + $"caught up {Ms(CatchUpMs)} after heal, all equal {Ms(ConvergeMs)} after load stop (by {ConvergedBy}); "
        + $"appliedSeq steps back {AppliedSeqBackwardSteps}; {Violations} violations");

    private static string Ms(double? ms) => ms is { } v ? string.Create(CultureInfo.InvariantCulture, $"{v:F0} ms") : "never";
}

using System.CommandLine;
using static KvPerf.Cli.OptionFactory;

namespace KvPerf.Cli;

/// <summary>
/// The <c>bench</c> subcommand: kvstore (six local processes in memory and durable, the compose
/// cluster) and Redis side by side, every size a flag with the default <c>make bench</c> runs.
/// </summary>
public static class BenchCommand
{
    /// <summary>
    /// Builds the subcommand; <paramref name="action"/> runs with the parsed settings and returns
    /// the exit code.
    /// </summary>
    public static Command Create(Func<BenchSettings, CancellationToken, Task<int>> action)
    {
        var warmup = NonNegative("--warmup", 5, "Seconds of writing before each measurement.");
        var firstWarmup = NonNegative(
            "--first-warmup", 20,
            "Seconds of writing before the first measurement on a freshly started cluster, while its JIT compiles the hot paths (at least --warmup).");
        var duration = Positive("--duration", 10, "Seconds each measurement lasts.");
        var targets = WordList(
            "--targets", [.. BenchSettings.KnownTargets], BenchSettings.KnownTargets,
            "Systems to measure, comma-separated: local (six KvHost processes, in memory), local-everysec and local-always " +
            "(the same, durable: each node a fresh DATA_DIR of its own, FSYNC=everysec or always), " +
            "compose (the compose cluster, durable with FSYNC=everysec), redis.");
        var clients = IntegerList("--clients", [1, 10, 64], 1, 1024, "a number of clients", "Closed-loop clients per case, comma-separated.");
        var quorums = IntegerList(
            "--quorums", [1, 5], 1, ExperimentSettings.Followers, "a write quorum",
            $"Write quorums W, comma-separated, each 1..{ExperimentSettings.Followers}.");
        var keys = Positive("--keys", 100, "Keys written round-robin: k0..k{keys-1}.");
        var idle = Positive("--idle-seconds", 20, "Seconds each system's idle CPU is measured.");
        var idleAfter = NonNegative(
            "--idle-after", 30,
            "Seconds each system is left alone after its last case before its idle CPU is measured (its JIT recompiles what the load made hot meanwhile).");
        var output = OutDirectory();
        var kvHostPath = KvHostPath();
        var localPort = Positive("--local-base-port", 9100, "The local leader's port; follower N listens on it + N.");
        var redisPort = Positive("--redis-base-port", 6390, "The Redis master's port; replica N listens on it + N.");
        var reportOnly = ReportOnly("Print the tables and rebuild {out}/bench.html from {out}/bench.json without running anything.");

        var command = new Command(
            "bench",
            "kvstore against Redis 7 on this machine: writes/s and latency at W = 1 and 5 with 1, 10 and 64 " +
            "closed-loop clients, memory under load and idle CPU; writes results/bench.{json,html}.");
        foreach (var option in new Option[] { warmup, firstWarmup, duration, targets, clients, quorums, keys, idle, idleAfter, output, kvHostPath, localPort, redisPort, reportOnly })
        {
            command.Options.Add(option);
        }

        command.SetAction((parse, ct) => action(
            new BenchSettings(
                parse.GetValue(warmup), parse.GetValue(firstWarmup), parse.GetValue(duration), parse.GetValue(targets)!, parse.GetValue(clients)!,
                parse.GetValue(quorums)!, parse.GetValue(keys), parse.GetValue(idle), parse.GetValue(output)!,
                parse.GetValue(kvHostPath), parse.GetValue(localPort), parse.GetValue(redisPort), parse.GetValue(reportOnly),
                parse.GetValue(idleAfter)),
            ct));
        return command;
    }
}

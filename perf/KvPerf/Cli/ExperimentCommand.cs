using System.CommandLine;
using static KvPerf.Cli.OptionFactory;

namespace KvPerf.Cli;

/// <summary>
/// The command line (System.CommandLine): every size and delay of the experiment as a flag with
/// the experiment's standard value as its default, validated before anything starts.
/// </summary>
public static class ExperimentCommand
{
    private static readonly string[] KnownAckModes = ["received", "applied"];

    /// <summary>
    /// Builds the root command; <paramref name="action"/> runs with the parsed settings and returns
    /// the exit code.
    /// </summary>
    public static RootCommand Create(Func<ExperimentSettings, CancellationToken, Task<int>> action)
    {
        var writes = Positive("--writes", 100, "Writes per run.");
        var concurrency = Positive("--concurrency", 10, "Writes in flight at once.");
        var keys = Positive("--keys", 10, "Keys written round-robin: k0..k{keys-1}.");
        var warmUp = NonNegative("--warmup-writes", 100, "Writes per run before the measured ones (same keys and concurrency), left out of the figures.");
        var warmUpSeconds = NonNegative("--warmup-seconds", 10, "The least time a run's warm-up lasts (s): it writes on past --warmup-writes until then.");
        var quorums = IntegerList(
            "--quorums", [1, 2, 3, 4, 5], 0, ExperimentSettings.Followers, "a write quorum",
            $"Write quorums W to sweep, comma-separated, each 0..{ExperimentSettings.Followers}.");
        var ackModes = WordList(
            "--ack-modes", ["received", "applied"], KnownAckModes, "ACK_MODE values to sweep, comma-separated: received, applied.");
        var minDelay = NonNegative("--min-delay-ms", 0, "MIN_DELAY_MS: smallest simulated replication delay (ms).");
        var maxDelay = NonNegative("--max-delay-ms", 1000, "MAX_DELAY_MS: largest simulated replication delay (ms).");
        var cluster = new Option<string>("--cluster")
        {
            Description = "compose: the docker-compose cluster via scripts/cluster.sh; local: six KvHost processes.",
            DefaultValueFactory = _ => "compose",
        };
        cluster.AcceptOnlyFromAmong("compose", "local");
        var output = OutDirectory();
        var kvHostPath = KvHostPath();
        var basePort = Positive("--local-base-port", 9100, "Local mode: the leader's port; follower N listens on it + N.");
        var bound = Positive("--convergence-timeout-ms", 30000, "How long to wait for followers to equal the leader (ms).");
        var reportOnly = ReportOnly("Rebuild the HTML and PNG from {out}/quorum-latency.json without running the cluster.");

        var root = new RootCommand(
            "kvstore quorum experiment: write latency against write quorum W and ack mode, and replica " +
            "consistency after the writes; writes results/quorum-latency.{json,html,png}.");
        foreach (var option in new Option[] { writes, concurrency, keys, warmUp, warmUpSeconds, quorums, ackModes, minDelay, maxDelay, cluster, output, kvHostPath, basePort, bound, reportOnly })
        {
            root.Options.Add(option);
        }

        root.Validators.Add(result =>
        {
            if (result.GetValue(minDelay) > result.GetValue(maxDelay))
            {
                result.AddError("--min-delay-ms must not be larger than --max-delay-ms.");
            }
        });

        root.SetAction((parse, ct) => action(
            new ExperimentSettings(
                parse.GetValue(writes), parse.GetValue(concurrency), parse.GetValue(keys), parse.GetValue(warmUp), parse.GetValue(warmUpSeconds),
                parse.GetValue(quorums)!, parse.GetValue(ackModes)!,
                parse.GetValue(minDelay), parse.GetValue(maxDelay), parse.GetValue(cluster)!,
                parse.GetValue(output)!, parse.GetValue(kvHostPath), parse.GetValue(basePort),
                parse.GetValue(bound), parse.GetValue(reportOnly)),
            ct));
        return root;
    }
}

using System.CommandLine;
using static KvPerf.Cli.OptionFactory;

namespace KvPerf.Cli;

/// <summary>
/// The <c>restart</c> subcommand: how long six durable nodes holding N keys each take to be healthy
/// again after a whole-cluster restart, and one follower after a restart of its own.
/// </summary>
public static class RestartCommand
{
    // The highest base port whose last node's actor system (base + 5 + 100) is still a port.
    private const int MaxBasePort = 65_535 - 105;

    /// <summary>
    /// Builds the subcommand; <paramref name="action"/> runs with the parsed settings and returns
    /// the exit code.
    /// </summary>
    public static Command Create(Func<RestartSettings, CancellationToken, Task<int>> action)
    {
        var keys = IntegerList(
            "--keys", [0, 100_000, 1_000_000], 0, RestartSettings.MaxKeys, "a number of keys",
            "Data sizes, comma-separated: keys each node holds when the cluster starts.");
        var output = new Option<string>("--output")
        {
            Description = "The results file.",
            DefaultValueFactory = _ => Path.Combine("results", "restart.json"),
        };
        var workDirectory = new Option<string?>("--work-dir")
        {
            Description = "Where the nodes' data directories and logs go (default: a new folder under the system's temporary directory).",
        };
        var keepData = new Option<bool>("--keep-data") { Description = "Keep each size's data directories after it is measured." };
        var kvHostPath = KvHostPath();
        var basePort = Positive("--base-port", 9300, "The leader's HTTP port; follower N listens on it + N, each actor system on its HTTP port + 100.");
        basePort.Validators.Add(result =>
        {
            // Six HTTP ports from it and six actor-system ports 100 above them.
            if (result.GetValueOrDefault<int>() > MaxBasePort)
            {
                result.AddError($"--base-port must be at most {MaxBasePort}.");
            }
        });
        var logTail = NonNegative("--log-tail", 1_000, "Entries of the leader's log kept in its data file, the newest.");
        var timeout = Positive("--timeout", 120, "Seconds any one wait may last before its figure is recorded as not reached.");
        var reportOnly = ReportOnly("Print the tables from the --output file without running anything.");

        var command = new Command(
            "restart",
            "Restart time against data size: six durable KvHost processes start on data files of N keys each; " +
            "per node the time to healthy, for the leader to ready and to its first write, then one follower restarted alone; " +
            "writes results/restart.json.");
        foreach (var option in new Option[] { keys, output, workDirectory, keepData, kvHostPath, basePort, logTail, timeout, reportOnly })
        {
            command.Options.Add(option);
        }

        command.SetAction((parse, ct) => action(
            new RestartSettings(
                parse.GetValue(keys)!, parse.GetValue(output)!, parse.GetValue(workDirectory), parse.GetValue(keepData),
                parse.GetValue(kvHostPath), parse.GetValue(basePort), parse.GetValue(logTail), parse.GetValue(timeout), parse.GetValue(reportOnly)),
            ct));
        return command;
    }
}

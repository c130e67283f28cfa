using System.CommandLine;
using KvPerf.Bench;
using KvPerf.Cli;
using KvPerf.Experiment;
using KvPerf.Restart;

// The quorum experiment (the root command), the benchmark against Redis (`bench`) and restart
// time against data size (`restart`).
var root = ExperimentCommand.Create(ExperimentApp.RunAsync);
root.Subcommands.Add(BenchCommand.Create(BenchApp.RunAsync));
root.Subcommands.Add(RestartCommand.Create(RestartApp.RunAsync));

// Ctrl-C cancels the run's token; the 2 s System.CommandLine allows by default is too short for
// `compose down` and stopping the nodes, which is what must still happen.
return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromSeconds(30) });

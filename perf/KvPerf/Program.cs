using KvPerf.Cli;
using KvPerf.Experiment;

// The quorum experiment (issue 3): parse the flags, then run the sweep or rebuild the report.
return await ExperimentCommand.Create(ExperimentApp.RunAsync).Parse(args).InvokeAsync();

using InverseLearning.Training.Cli;

// serve and silo run a host whose own lifetime takes the signals and stops it gracefully (a drain, the shards' last snapshots).
using var signals = args.FirstOrDefault() is "serve" or "silo" ? null : new TerminationSignals();
return await CliApp.RunAsync(args, signals?.Token ?? default);

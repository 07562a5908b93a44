using System.Runtime.InteropServices;
using InverseLearning.Serving.Devices;
using InverseLearning.Training.Cli;

// Before ONNX Runtime starts, which every verb's graphs and serve's model run on.
OrtTelemetry.TurnOff();

// A file outgrowing the process's file-size limit (ulimit -f) would end it at once (SIGXFSZ's default), with no word and its temporary
// left: taken, the write fails instead (EFBIG), and the verb says which file. 25 is SIGXFSZ on Linux.
using var fileSizeLimit = OperatingSystem.IsLinux() ? PosixSignalRegistration.Create((PosixSignal)25, context => context.Cancel = true) : null;

// serve runs the serving host, whose console log is its own (coloured on a terminal); every other verb's output is escaped.
if (args.FirstOrDefault() is not ServeCommand.Verb) TerminalWriter.Install();

// serve and silo run a host whose own lifetime takes Ctrl+C and SIGTERM and stops it gracefully (a drain, the shards' last snapshots); SIGHUP the serving host takes itself, silo through HangUpSignal.
using var signals = args.FirstOrDefault() is ServeCommand.Verb or "silo" ? null : new TerminationSignals();
return await CliApp.RunAsync(args, signals?.Token ?? default);

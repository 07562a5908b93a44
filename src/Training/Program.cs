using InverseLearning.Training.Cli;

return await CliApp.RunAsync(args);

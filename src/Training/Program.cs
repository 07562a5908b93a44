using System.CommandLine;
using InverseLearning.Training.Cli;

var root = new RootCommand("InverseLearning: train recommenders from sparse, noisy watch feedback with Inverse Learning.");
foreach (var verb in Verbs.All())
    root.Subcommands.Add(verb);
return await root.Parse(args).InvokeAsync();

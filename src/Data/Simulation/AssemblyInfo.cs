using System.Runtime.CompilerServices;

// The simulator's tests build small hand-checked ground truths and check the random streams directly.
[assembly: InternalsVisibleTo("InverseLearning.Data.Tests")]

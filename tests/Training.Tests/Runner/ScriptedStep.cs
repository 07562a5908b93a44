using InverseLearning.Data;
using InverseLearning.Training.Plans;
using InverseLearning.Training.Runtime;

namespace InverseLearning.Training.Tests.Runner;

/// <summary>
/// A step program that trains nothing: it notes what each step saw and returns the loss its
/// script gives for the run's step number (the trainer's bookkeeping can then be checked
/// against sums worked out by hand).
/// </summary>
internal sealed class ScriptedStep(Func<long, float>? loss = null) : IStepProgram
{
    public List<(int Rows, int Labeled, bool FreshOptimizer, int FirstUser)> Steps { get; } = [];

    public float Step(StepContext context, StepRows rows, Objective objective)
    {
        Steps.Add((rows.Count, rows.LabeledCount, context.FreshOptimizer, rows.Users[0]));
        return loss?.Invoke(context.Iteration) ?? 0.5f;
    }
}

/// <summary>Small labeled sets cut from a prepared split, and passes over them.</summary>
internal static class SmallSets
{
    public static LabeledSet First(LabeledSet set, int count) =>
        new(set.Users.AsSpan(0, count).ToArray(), set.Items.AsSpan(0, count).ToArray(), set.Labels.Take(count).ToArray());

    public static Pass Pass(string name, LabeledSet rows, IStepProgram program, int unlabeledPerRow = 0, int stream = 4) =>
        new(name, new DataSource(name, _ => rows, unlabeledPerRow, stream), new Objective("bce", Training.Methods.Objectives.Bce), program);

    /// <summary>BCE with logits, stably: max(s,0) − s·y + log(1 + e^−|s|).</summary>
    public static double Bce(double s, double y) => Math.Max(s, 0) - s * y + Math.Log(1 + Math.Exp(-Math.Abs(s)));
}

using InverseLearning.Training.Graph;
using InverseLearning.Training.Losses;
using InverseLearning.Training.Runtime;

namespace InverseLearning.Training.Methods;

/// <summary>Objectives shared by several methods.</summary>
public static class Objectives
{
    /// <summary>Mean BCE over every row against its label (unlabeled rows carry label 0: the NS assumption).</summary>
    public static Value Bce(WorkingSetInputs x, Value logits) =>
        RowWeightedLoss.Mean(x.G, logits, x.Labels, x.G.Sub(x.G.Scalar(1), x.Labels));

    /// <summary>
    /// Mean BCE over the labeled rows only (unlabeled rows weigh nothing). On a view of the
    /// labeled rows (<see cref="WorkingSetInputs.LabeledRows"/>) the per-row losses are summed
    /// with the other rows' zeros, so the value is the whole batch's to the last bit.
    /// </summary>
    public static Value LabeledBce(WorkingSetInputs x, Value logits)
    {
        var g = x.G;
        var labeled = x.LabeledMask;
        var perRow = RowWeightedLoss.PerRow(g, logits, g.Mul(labeled, x.Labels), g.Mul(labeled, g.Sub(g.Scalar(1), x.Labels)));
        return g.Div(g.Sum(x.ToAllRows(perRow)), g.Sum(labeled));
    }
}

using InverseLearning.Training.Methods;
using static InverseLearning.Training.Tests.Methods.LossProbe;

namespace InverseLearning.Training.Tests.Methods;

/// <summary>Each method's objective graph against its formula computed directly on the host.</summary>
public class ObjectiveTests
{
    // Two labeled rows (a positive, a negative) and three unlabeled rows.
    private static readonly float[] Logits = [2.0f, -1.0f, 0.5f, -3.0f, 1.5f];
    private static readonly float[] Labels = [1, 0, 0, 0, 0];
    private static readonly float[] Unlabeled = [0, 0, 1, 1, 1];

    [Fact]
    public void Ns_is_mean_bce_with_unlabeled_rows_as_negatives()
    {
        var expected = Logits.Select((s, r) => Bce(s, Labels[r])).Average();
        Assert.Equal(expected, Evaluate(Objectives.Bce, Logits, Labels, Unlabeled), 5);
    }

    [Fact]
    public void Idl_weights_each_unlabeled_row_towards_its_cheaper_label()
    {
        var total = 0.0;
        for (var r = 0; r < Logits.Length; r++)
        {
            double s = Logits[r];
            if (Unlabeled[r] == 0) { total += Bce(s, Labels[r]); continue; }
            double p = Bce(s, 1), n = Bce(s, 0);
            var wPlus = (n / (p + 1e-9)) / (n / (p + 1e-9) + p / (n + 1e-9));
            total += wPlus * p + (1 - wPlus) * n;
        }
        Assert.Equal(total / Logits.Length, Evaluate(InverseDualLoss.Loss, Logits, Labels, Unlabeled), 5);
    }

    [Theory]
    [InlineData(3.0, true)]
    [InlineData(0.2, true)]
    [InlineData(-0.2, false)]
    public void Idl_positive_weight_exceeds_half_exactly_when_the_model_leans_positive(double logit, bool leansPositive)
    {
        var w = InverseDualLoss.PositiveWeight(logit);
        Assert.Equal(leansPositive, w > 0.5);
        Assert.InRange(w, 0, 1);
    }

    [Fact]
    public void Idl_on_unlabeled_rows_only_ignores_labeled_rows()
    {
        var expected = Enumerable.Range(2, 3).Select(r =>
        {
            var w = InverseDualLoss.PositiveWeight(Logits[r]);
            return w * Bce(Logits[r], 1) + (1 - w) * Bce(Logits[r], 0);
        }).Average();
        Assert.Equal(expected, Evaluate(InverseDualLoss.UnlabeledOnly, Logits, Labels, Unlabeled), 5);
    }

    [Fact]
    public void Tce_drops_the_positives_with_the_largest_loss_never_negatives()
    {
        // Positives at rows 0 (loss small), 2 (loss large), 4 (loss medium); negatives elsewhere.
        float[] logits = [3.0f, 2.0f, -2.0f, -1.0f, 0.1f];
        float[] labels = [1, 0, 1, 0, 1];
        float[] unlabeled = [0, 0, 0, 0, 0];
        // Dropping 2 removes rows 2 and 4; the negative at row 1 has a larger loss than
        // positive row 0 but stays.
        var expected = new[] { 0, 1, 3 }.Select(r => Bce(logits[r], labels[r])).Average();
        var actual = Evaluate(TruncatedLoss.Loss, logits, labels, unlabeled, new() { [TruncatedLoss.DropCount] = [2] });
        Assert.Equal(expected, actual, 5);
        var none = Evaluate(TruncatedLoss.Loss, logits, labels, unlabeled, new() { [TruncatedLoss.DropCount] = [0] });
        Assert.Equal(logits.Select((s, r) => Bce(s, labels[r])).Average(), none, 5);
    }

    [Fact]
    public void Tce_drop_rate_ramps_linearly_then_holds()
    {
        var tce = new TruncatedLoss.DropSchedule(maxDropRate: 0.2, warmupIterations: 100);
        Assert.Equal(0.0, tce.DropRate(0));
        Assert.Equal(0.1, tce.DropRate(50), 12);
        Assert.Equal(0.2, tce.DropRate(100), 12);
        Assert.Equal(0.2, tce.DropRate(1000), 12);
    }

    [Fact]
    public void Rce_weights_rows_by_the_models_confidence_in_their_label()
    {
        const double beta = 0.5;
        var expected = Logits.Select((s, r) =>
        {
            var p = Sigmoid(s);
            var weight = Labels[r] == 1 ? Math.Pow(p, beta) : Math.Pow(1 - p, beta);
            return weight * Bce(s, Labels[r]);
        }).Average();
        Assert.Equal(expected, Evaluate((x, l) => ReweightedLoss.Loss(x, l, beta), Logits, Labels, Unlabeled), 5);
    }

    [Fact]
    public void Cw_averages_the_positives_risk_over_every_labeled_positive()
    {
        const double prior = 0.2, gamma = 1;
        float[] labels = [1, 1, 0, 0, 0];
        double weighted = 0, weights = 0;
        for (var r = 2; r < 5; r++)
        {
            var w = 1 - Sigmoid(Logits[r]);
            weighted += w * Bce(Logits[r], 0);
            weights += w;
        }
        var riskP = (Bce(Logits[0], 0) + Bce(Logits[1], 0)) / 2;      // two labeled positives
        var negative = Math.Max(0, (weighted / weights - prior * riskP) / (1 - prior));
        var expected = (Bce(Logits[0], 1) + Bce(Logits[1], 1) + 3 * negative) / 5;
        Assert.Equal(expected, Evaluate((x, l) => CorrectAndWeight.Loss(x, l, prior, gamma), Logits, labels, Unlabeled), 5);
    }

    [Theory]
    [InlineData("cw")]
    [InlineData("rce")]
    public void The_planned_objective_uses_the_methods_options_from_the_settings(string method)
    {
        var settings = new TrainSettings { Method = method }
            .WithOption(CorrectAndWeight.Prior, 0.3).WithOption(CorrectAndWeight.Gamma, 2).WithOption(ReweightedLoss.Beta, 0.7);
        var plan = MethodRegistry.Get(method).Plan(new PlanContext(settings, null!, null!));
        Func<InverseLearning.Training.Runtime.WorkingSetInputs, InverseLearning.Training.Graph.Value, InverseLearning.Training.Graph.Value> direct = method == "cw"
            ? (x, l) => CorrectAndWeight.Loss(x, l, 0.3, 2)
            : (x, l) => ReweightedLoss.Loss(x, l, 0.7);
        Func<InverseLearning.Training.Runtime.WorkingSetInputs, InverseLearning.Training.Graph.Value, InverseLearning.Training.Graph.Value> defaults = method == "cw"
            ? (x, l) => CorrectAndWeight.Loss(x, l, CorrectAndWeight.Prior.Default, CorrectAndWeight.Gamma.Default)
            : (x, l) => ReweightedLoss.Loss(x, l, ReweightedLoss.Beta.Default);
        var planned = Evaluate(plan.Primary.Loss, Logits, Labels, Unlabeled);
        Assert.Equal(Evaluate(direct, Logits, Labels, Unlabeled), planned, 6);
        Assert.NotEqual(Evaluate(defaults, Logits, Labels, Unlabeled), planned, 4);
    }

    [Fact]
    public void Cw_corrects_the_unlabeled_negative_risk_and_clips_it_at_zero()
    {
        const double prior = 0.3, gamma = 2;
        double Expected(float[] logits)
        {
            var labeled = Bce(logits[0], 1) + Bce(logits[1], 0);
            double weighted = 0, weights = 0;
            for (var r = 2; r < 5; r++)
            {
                var w = Math.Pow(1 - Sigmoid(logits[r]), gamma);
                weighted += w * Bce(logits[r], 0);
                weights += w;
            }
            var riskP = Bce(logits[0], 0);                         // one labeled positive
            var negative = Math.Max(0, (weighted / weights - prior * riskP) / (1 - prior));
            return (labeled + 3 * negative) / 5;
        }
        Assert.Equal(Expected(Logits), Evaluate((x, l) => CorrectAndWeight.Loss(x, l, prior, gamma), Logits, Labels, Unlabeled), 5);
        // A confidently scored positive with easy unlabeled rows drives the corrected risk below zero: clipped.
        float[] clipped = [-4f, -1f, -8f, -8f, -8f];
        Assert.True(Bce(-8, 0) - prior * Bce(-4, 0) < 0, "the example must exercise the clip");
        Assert.Equal(Expected(clipped), Evaluate((x, l) => CorrectAndWeight.Loss(x, l, prior, gamma), clipped, Labels, Unlabeled), 5);
    }

    [Fact]
    public void Cw_with_no_labeled_positive_counts_the_positives_risk_as_zero()
    {
        const double prior = 0.3, gamma = 2;
        float[] labels = [0, 0, 0, 0, 0];                          // both labeled rows negative
        double weighted = 0, weights = 0;
        for (var r = 2; r < 5; r++)
        {
            var w = Math.Pow(1 - Sigmoid(Logits[r]), gamma);
            weighted += w * Bce(Logits[r], 0);
            weights += w;
        }
        // No positive to average over: risk_P = 0 / max(0, 1) = 0, so only the unlabeled risk is rescaled.
        var negative = weighted / weights / (1 - prior);
        var expected = (Bce(Logits[0], 0) + Bce(Logits[1], 0) + 3 * negative) / 5;
        var actual = Evaluate((x, l) => CorrectAndWeight.Loss(x, l, prior, gamma), Logits, labels, Unlabeled);
        Assert.True(float.IsFinite(actual), $"loss {actual}");
        Assert.Equal(expected, actual, 5);
    }

    [Fact]
    public void Cw_without_unlabeled_rows_is_the_labeled_rows_bce_and_stays_finite_when_every_weight_vanishes()
    {
        const double prior = 0.3, gamma = 1;
        float[] noneUnlabeled = [0, 0, 0, 0, 0];
        var labeledOnly = Evaluate((x, l) => CorrectAndWeight.Loss(x, l, prior, gamma), Logits, Labels, noneUnlabeled);
        Assert.Equal(Logits.Select((s, r) => Bce(s, Labels[r])).Average(), labeledOnly, 5);

        // Unlabeled rows scored 40: 1 − σ(40) is 0 in float, so every weight is 0 and risk_U = 0 / 1e-12 = 0;
        // the corrected risk (0 − π·risk_P) / (1 − π) is then clipped to 0, leaving the labeled rows' BCE over R.
        float[] confident = [2.0f, -1.0f, 40f, 40f, 40f];
        var vanishing = Evaluate((x, l) => CorrectAndWeight.Loss(x, l, prior, gamma), confident, Labels, Unlabeled);
        Assert.True(float.IsFinite(vanishing), $"loss {vanishing}");
        Assert.Equal((Bce(2, 1) + Bce(-1, 0)) / 5, vanishing, 5);
    }

    [Fact]
    public void Cw_gradient_holds_the_weights_constant()
    {
        // With w = sg((1 − σ(s))^γ): d risk_U / d s_u = w_u·σ(s_u) / Σw, d risk_P / d s_p = σ(s_p) / |P|,
        // and d ℓ(s, y) / d s = σ(s) − y; no term through the weights themselves.
        const double prior = 0.05, gamma = 2;
        double riskU = 0, weights = 0;
        var w = new double[Logits.Length];
        for (var r = 2; r < 5; r++)
        {
            w[r] = Math.Pow(1 - Sigmoid(Logits[r]), gamma);
            riskU += w[r] * Bce(Logits[r], 0);
            weights += w[r];
        }
        riskU /= weights;
        var riskP = Bce(Logits[0], 0);                              // one labeled positive
        Assert.True(riskU - prior * riskP > 0, "the example must not be clipped");
        const double rows = 5, unlabeled = 3;
        var scale = unlabeled / (1 - prior) / rows;
        var expected = new double[]
        {
            (Sigmoid(Logits[0]) - 1) / rows - scale * prior * Sigmoid(Logits[0]),
            Sigmoid(Logits[1]) / rows,
            scale * w[2] * Sigmoid(Logits[2]) / weights,
            scale * w[3] * Sigmoid(Logits[3]) / weights,
            scale * w[4] * Sigmoid(Logits[4]) / weights,
        };
        var gradient = Gradient((x, l) => CorrectAndWeight.Loss(x, l, prior, gamma), Logits, Labels, Unlabeled);
        for (var r = 0; r < expected.Length; r++) Assert.Equal(expected[r], gradient[r], 5);
    }

    [Fact]
    public void Idl_gradient_holds_the_weights_constant()
    {
        // Labeled rows: (σ(s) − y) / R. Unlabeled rows: d/ds of w⁺·ℓ(s,1) + w⁻·ℓ(s,0) with w⁺, w⁻ = 1 − w⁺ constants
        // (stop-gradient): (w⁺(σ − 1) + w⁻σ) / R = (σ(s) − w⁺) / R, where w⁺ = (n/p) / (n/p + p/n) with p = ℓ(s,1), n = ℓ(s,0).
        var gradient = Gradient(InverseDualLoss.Loss, Logits, Labels, Unlabeled);
        for (var r = 0; r < Logits.Length; r++)
        {
            var (p, n) = (Bce(Logits[r], 1), Bce(Logits[r], 0));
            var target = Unlabeled[r] == 1 ? n / p / (n / p + p / n) : Labels[r];
            Assert.Equal((Sigmoid(Logits[r]) - target) / Logits.Length, gradient[r], 5);
        }
    }

    [Fact]
    public void Rce_gradient_holds_the_weights_constant()
    {
        // d/ds_r of w_r·ℓ(s_r, y_r) / R with w_r a constant: w_r·(σ(s_r) − y_r) / R.
        const double beta = 2;
        var gradient = Gradient((x, l) => ReweightedLoss.Loss(x, l, beta), Logits, Labels, Unlabeled);
        for (var r = 0; r < Logits.Length; r++)
        {
            var p = Sigmoid(Logits[r]);
            var weight = Labels[r] == 1 ? Math.Pow(p, beta) : Math.Pow(1 - p, beta);
            Assert.Equal(weight * (p - Labels[r]) / Logits.Length, gradient[r], 5);
        }
    }
}

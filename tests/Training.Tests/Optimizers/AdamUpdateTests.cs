using InverseLearning.Training.Graph;
using InverseLearning.Training.Optimizers;
using Microsoft.ML.OnnxRuntime;

namespace InverseLearning.Training.Tests.Optimizers;

/// <summary>
/// Adam's update graph, run by ORT in float64, against torch.optim.Adam's step written out on the
/// host: m ← β₁m + (1 − β₁)g, v ← β₂v + (1 − β₂)g², θ ← θ − η·(m / (1 − β₁ᵗ)) / (√(v / (1 − β₂ᵗ)) + ε).
/// Gradients as small as ε are where the placement of ε (after the bias correction of v) shows.
/// </summary>
public class AdamUpdateTests
{
    private const double LearningRate = 0.01;

    private static (double Theta, double M, double V) Reference(double theta, double gradient, double m, double v, int t)
    {
        m = 0.9 * m + 0.1 * gradient;
        v = 0.999 * v + 0.001 * gradient * gradient;
        var mHat = m / (1 - Math.Pow(0.9, t));
        var vHat = v / (1 - Math.Pow(0.999, t));
        return (theta - LearningRate * mHat / (Math.Sqrt(vHat) + 1e-8), m, v);
    }

    /// <summary>One <see cref="Adam.Update"/> over vectors, every input and output float64.</summary>
    private static (double[] Theta, double[] M, double[] V) Update(double[] theta, double[] gradient, double[] m, double[] v, int t)
    {
        var g = new GraphBuilder("adam");
        Value Vector(string name) => g.Input(name, DType.Double, theta.Length);
        var (p, dp, m0, v0) = (Vector("theta"), Vector("gradient"), Vector("m"), Vector("v"));
        var (next, state) = new Adam().Update(g, p, dp, [m0, v0], g.Input("lr", DType.Double), g.Input("step", DType.Double));
        using var session = new InferenceSession(g.ToBytes([g.Named(next, "theta_out"), g.Named(state[0], "m_out"), g.Named(state[1], "v_out")]));
        long[] shape = [theta.Length];
        var feeds = new Dictionary<string, OrtValue>
        {
            ["theta"] = OrtValue.CreateTensorValueFromMemory(theta, shape),
            ["gradient"] = OrtValue.CreateTensorValueFromMemory(gradient, shape),
            ["m"] = OrtValue.CreateTensorValueFromMemory(m, shape),
            ["v"] = OrtValue.CreateTensorValueFromMemory(v, shape),
            ["lr"] = OrtValue.CreateTensorValueFromMemory(new[] { LearningRate }, []),
            ["step"] = OrtValue.CreateTensorValueFromMemory(new[] { (double)t }, []),
        };
        using var results = session.Run(new RunOptions(), feeds, ["theta_out", "m_out", "v_out"]);
        foreach (var value in feeds.Values) value.Dispose();
        return (results[0].GetTensorDataAsSpan<double>().ToArray(), results[1].GetTensorDataAsSpan<double>().ToArray(), results[2].GetTensorDataAsSpan<double>().ToArray());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(1000)]
    public void Matches_torch_adam_including_gradients_near_epsilon(int t)
    {
        // Gradients from ordinary to below ε, with moments an earlier step might have left (none at t = 1).
        double[] theta = [0.5, -0.25, 1.0, 0.0, 2.0];
        double[] gradient = [0.3, -0.02, 1e-6, 1e-8, -1e-9];
        double[] m = t == 1 ? new double[5] : [0.01, -0.003, 2e-7, 0, 1e-9];
        double[] v = t == 1 ? new double[5] : [1e-3, 4e-5, 1e-14, 1e-17, 1e-18];

        var (actualTheta, actualM, actualV) = Update(theta, gradient, m, v, t);

        for (var i = 0; i < theta.Length; i++)
        {
            var expected = Reference(theta[i], gradient[i], m[i], v[i], t);
            // The step itself, relative: a misplaced ε changes the step of a 1e-9 gradient by an order of magnitude.
            var step = theta[i] - expected.Theta;
            Assert.True(Math.Abs(theta[i] - actualTheta[i] - step) <= 1e-9 * Math.Abs(step) + 1e-15,
                $"θ[{i}] (g = {gradient[i]:G3}): step {theta[i] - actualTheta[i]:G10}, torch {step:G10}");
            Assert.Equal(expected.M, actualM[i], 15);
            Assert.Equal(expected.V, actualV[i], 15);
        }
    }
}

namespace InverseLearning.Training.Reports.Statistics;

/// <summary>log Γ and the regularized incomplete beta function I_x(a, b), the pieces the Student-t distribution needs.</summary>
public static class SpecialFunctions
{
    // Lanczos approximation, g = 7, nine coefficients (relative error below 1e-15 for x > 0).
    private static readonly double[] Lanczos =
    [
        0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
        -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
        1.5056327351493116e-7,
    ];

    private const int MaxIterations = 300;
    private const double Epsilon = 1e-15, Tiny = 1e-300;

    public static double LogGamma(double x)
    {
        if (x <= 0) throw new ArgumentOutOfRangeException(nameof(x), x, "log Γ is defined here for x > 0 only.");
        if (x < 0.5) return Math.Log(Math.PI / Math.Sin(Math.PI * x)) - LogGamma(1 - x); // reflection
        x -= 1;
        var sum = Lanczos[0];
        for (var k = 1; k < Lanczos.Length; k++) sum += Lanczos[k] / (x + k);
        var t = x + 7.5;
        return 0.5 * Math.Log(2 * Math.PI) + (x + 0.5) * Math.Log(t) - t + Math.Log(sum);
    }

    /// <summary>
    /// I_x(a, b) = B(x; a, b) / B(a, b), by the continued fraction for the incomplete beta
    /// (evaluated with the modified Lentz method), using the symmetry I_x(a, b) = 1 − I_{1−x}(b, a)
    /// where the fraction converges slowly (x above (a + 1)/(a + b + 2)).
    /// </summary>
    public static double RegularizedIncompleteBeta(double x, double a, double b)
    {
        if (a <= 0 || b <= 0) throw new ArgumentOutOfRangeException(nameof(a), $"I_x(a, b) needs a, b > 0, got a = {a}, b = {b}.");
        if (x is < 0 or > 1 || double.IsNaN(x)) throw new ArgumentOutOfRangeException(nameof(x), x, "I_x(a, b) needs x in [0, 1].");
        if (x == 0) return 0;
        if (x == 1) return 1;
        var logFront = LogGamma(a + b) - LogGamma(a) - LogGamma(b) + a * Math.Log(x) + b * Math.Log(1 - x);
        return x < (a + 1) / (a + b + 2)
            ? Math.Exp(logFront) * BetaFraction(x, a, b) / a
            : 1 - Math.Exp(logFront) * BetaFraction(1 - x, b, a) / b;
    }

    /// <summary>The continued fraction 1/(1+ d1/(1+ d2/(1+ …))) with d_{2m+1} = −(a+m)(a+b+m)x/((a+2m)(a+2m+1)), d_{2m} = m(b−m)x/((a+2m−1)(a+2m)).</summary>
    private static double BetaFraction(double x, double a, double b)
    {
        var c = 1.0;
        var d = 1 - (a + b) * x / (a + 1);
        d = 1 / (Math.Abs(d) < Tiny ? Tiny : d);
        var result = d;
        for (var m = 1; m <= MaxIterations; m++)
        {
            var even = m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m));
            (c, d) = LentzStep(c, d, even);
            result *= c * d;
            var odd = -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1));
            (c, d) = LentzStep(c, d, odd);
            var delta = c * d;
            result *= delta;
            if (Math.Abs(delta - 1) < Epsilon) return result;
        }
        return result;
    }

    private static (double C, double D) LentzStep(double c, double d, double coefficient)
    {
        d = 1 + coefficient * d;
        d = 1 / (Math.Abs(d) < Tiny ? Tiny : d);
        c = 1 + coefficient / c;
        if (Math.Abs(c) < Tiny) c = Tiny;
        return (c, d);
    }
}

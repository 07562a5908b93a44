namespace InverseLearning.Training.Reports.Statistics;

/// <summary>Student's t distribution with ν degrees of freedom: CDF through the incomplete beta, quantiles by bisection.</summary>
public static class StudentT
{
    /// <summary>P(T ≤ t) = 1 − ½·I_{ν/(ν+t²)}(ν/2, ½) for t ≥ 0, and symmetric.</summary>
    public static double Cdf(double t, double degreesOfFreedom)
    {
        RequirePositive(degreesOfFreedom);
        if (double.IsNaN(t)) return double.NaN;
        if (double.IsInfinity(t)) return t > 0 ? 1 : 0;
        var tail = 0.5 * SpecialFunctions.RegularizedIncompleteBeta(degreesOfFreedom / (degreesOfFreedom + t * t), degreesOfFreedom / 2, 0.5);
        return t >= 0 ? 1 - tail : tail;
    }

    /// <summary>P(|T| ≥ |t|), the two-sided p-value of a t statistic.</summary>
    public static double TwoSidedP(double t, double degreesOfFreedom)
    {
        RequirePositive(degreesOfFreedom);
        if (double.IsNaN(t)) return double.NaN;
        if (double.IsInfinity(t)) return 0;
        return SpecialFunctions.RegularizedIncompleteBeta(degreesOfFreedom / (degreesOfFreedom + t * t), degreesOfFreedom / 2, 0.5);
    }

    /// <summary>The t with P(T ≤ t) = p, to about 1e-12.</summary>
    public static double Quantile(double p, double degreesOfFreedom)
    {
        RequirePositive(degreesOfFreedom);
        if (p is <= 0 or >= 1 || double.IsNaN(p)) throw new ArgumentOutOfRangeException(nameof(p), p, "a quantile needs p strictly between 0 and 1.");
        if (p < 0.5) return -Quantile(1 - p, degreesOfFreedom);
        double lo = 0, hi = 1;
        while (Cdf(hi, degreesOfFreedom) < p) { lo = hi; hi *= 2; }
        for (var k = 0; k < 200 && hi - lo > 1e-12 * Math.Max(1, hi); k++)
        {
            var mid = 0.5 * (lo + hi);
            if (Cdf(mid, degreesOfFreedom) < p) lo = mid;
            else hi = mid;
        }
        return 0.5 * (lo + hi);
    }

    private static void RequirePositive(double degreesOfFreedom)
    {
        if (!(degreesOfFreedom > 0)) throw new ArgumentOutOfRangeException(nameof(degreesOfFreedom), degreesOfFreedom, "degrees of freedom must be positive.");
    }
}

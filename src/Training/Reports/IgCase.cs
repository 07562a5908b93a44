namespace InverseLearning.Training.Reports;

/// <summary>Which candidate an Inverse Gradient step moved from: θ − η_s·step(g), θ + η_s·step(g), or θ unchanged.</summary>
public enum IgCase
{
    Direct,
    Inverse,
    Pass,
}

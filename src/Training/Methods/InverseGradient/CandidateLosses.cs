using InverseLearning.Training.Reports;

namespace InverseLearning.Training.Methods.InverseGradient;

/// <summary>The outcome of IG's candidate evaluation: L⁺, L⁻, L⁰ (BCE on the batch's labeled rows).</summary>
public readonly record struct CandidateLosses(float Direct, float Inverse, float Pass)
{
    /// <summary>The candidate with the smallest loss; ties go to direct, then inverse, then pass.</summary>
    public IgCase Choose() =>
        Direct <= Inverse && Direct <= Pass ? IgCase.Direct
        : Inverse <= Pass ? IgCase.Inverse
        : IgCase.Pass;
}

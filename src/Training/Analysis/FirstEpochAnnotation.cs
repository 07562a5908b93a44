using System.Text.Json;
using System.Text.Json.Serialization;
using InverseLearning.Data;
using InverseLearning.Data.Simulation;

namespace InverseLearning.Training.Analysis;

/// <summary>
/// The annotation quality after epoch 1 (metrics.json's annotation_after_epoch_1 and
/// idl_weights_epoch1.png), saved in the run folder as soon as it is measured: a run resumed
/// past epoch 1 never completes that epoch again, so it reads the measurement back and reports
/// what the uninterrupted run would.
/// </summary>
public sealed class FirstEpochAnnotation
{
    public const string FileName = "annotation_epoch1.json";

    // IDL precision and recall are NaN when no row is annotated positive. A member missing or null (a damaged name) is refused
    // as the file's damage, not taken as null and failed on later as "Value cannot be null".
    private static readonly JsonSerializerOptions Json = new()
    {
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        RespectRequiredConstructorParameters = true,
        RespectNullableAnnotations = true,
    };

    private FirstEpochAnnotation() { }

    /// <summary>The measurement, once epoch 1 is done (or was done before the resume); null before, or when it was lost.</summary>
    public AnnotationQuality? Value { get; private set; }

    /// <summary>Measures after epoch 1 of <paramref name="trainer"/> and saves it; for a trainer resumed past epoch 1, reads the saved one.</summary>
    public static FirstEpochAnnotation Track(Trainer trainer, GroundTruth truth, string outputDirectory)
    {
        var tracked = new FirstEpochAnnotation();
        var path = Path.Combine(outputDirectory, FileName);
        // Written before epoch 1's checkpoint: a run resumed past epoch 1 finds its own, never an earlier run's in a reused
        // folder (which a run that has not reached epoch 1 leaves as it is, for the earlier run's outputs it belongs to).
        if (trainer.EpochsDone >= 1) tracked.Value = Load(path);
        trainer.EpochTrained += epoch =>
        {
            if (epoch != 1) return;
            tracked.Value = AnnotationQuality.Measure(trainer, truth);
            if (tracked.Value is not null) AtomicFile.WriteAllBytes(path, JsonSerializer.SerializeToUtf8Bytes(tracked.Value, Json));
        };
        return tracked;
    }

    /// <summary>The saved measurement; null when there is none (removed by hand, or a checkpoint of a build that wrote it after epoch 1's checkpoint).</summary>
    private static AnnotationQuality? Load(string path)
    {
        if (!File.Exists(path)) return null;
        try
        {
            return JsonSerializer.Deserialize<AnnotationQuality>(File.ReadAllBytes(path), Json) ?? throw Unreadable(path, "it holds null");
        }
        catch (JsonException e)
        {
            throw Unreadable(path, e.Message);
        }
    }

    private static InvalidDataException Unreadable(string path, string why) =>
        new($"{path}: not a readable epoch-1 annotation ({why}); delete it to resume without annotation_after_epoch_1");
}

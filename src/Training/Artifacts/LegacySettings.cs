using System.Text.Json.Nodes;

namespace InverseLearning.Training.Artifacts;

/// <summary>
/// A checkpoint's settings as older builds wrote them: backbones' and strategies' options were
/// fields of their own, and the options dictionary held only the methods' (method_options).
/// They are read into the one options dictionary under their flags, and --select-by, stored as given, in lower case, so older
/// checkpoints resume, evaluate and export as they were trained.
/// </summary>
public static class LegacySettings
{
    private static readonly (string Field, string Flag)[] Fields =
    [
        ("layers", "layers"), ("dropout", "dropout"), ("cdae_corruption", "cdae-corruption"),
        ("warmup_epochs", "warmup-epochs"), ("finetune_epochs", "finetune-epochs"), ("colliding_neighbors", "colliding-neighbors"),
        ("colliding_lambda", "colliding-lambda"), ("colliding_max_ratio", "colliding-max-ratio"), ("colliding_tune", "colliding-tune"),
    ];

    public static void Migrate(JsonObject settings)
    {
        var options = settings["options"] as JsonObject ?? new JsonObject();
        if (settings["method_options"] is JsonObject methods)
        {
            foreach (var (flag, value) in methods.ToList()) options[flag] = value?.DeepClone();
            settings.Remove("method_options");
        }
        foreach (var (field, flag) in Fields)
        {
            if (!settings.Remove(field, out var value) || value is null) continue;
            options[flag] = value.GetValueKind() switch
            {
                System.Text.Json.JsonValueKind.True => 1.0,
                System.Text.Json.JsonValueKind.False => 0.0,
                _ => value.DeepClone(),
            };
        }
        settings["options"] = options;
        // Earlier builds took --select-by in any case and stored it as given ("AUC"); the flag is lower case now, and a run stays its own.
        if (settings["select_by"] is JsonValue selectBy && selectBy.TryGetValue<string>(out var measure)) settings["select_by"] = measure.ToLowerInvariant();
    }
}

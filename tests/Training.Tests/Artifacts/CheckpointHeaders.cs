using System.Text;
using System.Text.Json.Nodes;
using InverseLearning.Training.Artifacts;

namespace InverseLearning.Training.Tests.Artifacts;

/// <summary>Checkpoints made as an older build, or another moment of a run, wrote them: their header edited in place.</summary>
internal static class CheckpointHeaders
{
    /// <summary>Rewrites a checkpoint's JSON header and its checksum, leaving the payload as it is.</summary>
    public static void Rewrite(string path, Action<JsonObject> edit)
    {
        var bytes = File.ReadAllBytes(path);
        var length = BitConverter.ToInt32(bytes, 8);
        var header = JsonNode.Parse(Encoding.UTF8.GetString(bytes, 12, length))!.AsObject();
        edit(header);
        var json = Encoding.UTF8.GetBytes(header.ToJsonString());
        var head = bytes[..8].Concat(BitConverter.GetBytes(json.Length)).Concat(json).ToArray();
        File.WriteAllBytes(path, [.. head, .. BitConverter.GetBytes(Crc32.Of(head)), .. bytes[(12 + length + 4)..]]);
    }
}

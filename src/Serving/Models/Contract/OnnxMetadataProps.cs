using Google.Protobuf;

namespace InverseLearning.Serving.Models.Contract;

/// <summary>
/// The entries of a model.onnx's metadata_props under one key, read from the model's bytes. ONNX Runtime's CustomMetadataMap
/// keeps one value per key, so a model holding a key twice cannot be told from one holding it once there.
/// </summary>
internal static class OnnxMetadataProps
{
    private const int MetadataPropsField = 14;      // ModelProto.metadata_props: repeated StringStringEntryProto
    private const int KeyField = 1, ValueField = 2; // StringStringEntryProto.key, .value

    /// <summary>Every value under <paramref name="key"/>, in the file's order; the model's other fields (its graph) are skipped, not parsed.</summary>
    public static List<string> ValuesOf(byte[] model, string key)
    {
        var values = new List<string>();
        var input = new CodedInputStream(model);
        var entryTag = WireFormat.MakeTag(MetadataPropsField, WireFormat.WireType.LengthDelimited);
        for (var tag = input.ReadTag(); tag != 0; tag = input.ReadTag())
        {
            if (tag != entryTag)
            {
                input.SkipLastField();
                continue;
            }
            var entry = new CodedInputStream(input.ReadBytes().ToByteArray());
            string? entryKey = null, entryValue = null;
            for (var field = entry.ReadTag(); field != 0; field = entry.ReadTag())
            {
                switch (WireFormat.GetTagFieldNumber(field))
                {
                    case KeyField: entryKey = entry.ReadString(); break;
                    case ValueField: entryValue = entry.ReadString(); break;
                    default: entry.SkipLastField(); break;
                }
            }
            if (entryKey == key) values.Add(entryValue ?? "");
        }
        return values;
    }
}

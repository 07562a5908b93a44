using Parquet.Schema;

namespace InverseLearning.Data;

/// <summary>The schema fields of a log file, found by name and checked for the expected type; optional ones are null when absent.</summary>
internal sealed record LogColumns(
    DataField UserId, DataField ItemId, DataField? Timestamp,
    DataField? PlayTime, DataField? Duration, DataField? Rating,
    DataField? Like, DataField? Hate, DataField? Split)
{
    /// <summary>Bytes a row of these columns takes in an <see cref="InteractionLog"/>: ids, values, and a byte of presence per nullable column.</summary>
    public double HeldBytesPerRow => 16 + (Timestamp is null ? 0 : 8) + (PlayTime is null ? 0 : 9) + (Duration is null ? 0 : 9) + (Rating is null ? 0 : 5)
        + (Like is null ? 0 : 2) + (Hate is null ? 0 : 2) + (Split is null ? 0 : 1);

    public static LogColumns Resolve(string path, ParquetSchema schema)
    {
        var fields = schema.DataFields;
        DataField? Find(string name, Type type, bool required)
        {
            var field = fields.FirstOrDefault(f => f.Name == name);
            if (field is null)
            {
                if (!required) return null;
                throw DataException.In(path, $"missing required column '{name}' ({TypeName(type)}); the file has columns {string.Join(", ", fields.Select(f => $"'{f.Name}'"))}");
            }
            if (!Matches(field.ClrType, type) || field.IsArray)
                throw DataException.In(path, $"column '{name}' has type {(field.IsArray ? "list of " : "")}{TypeName(field.ClrType)}, expected {TypeName(type)}" +
                    // pandas writes its floats as double: "float" alone left open which width, and how to get it.
                    (type == typeof(float) ? $"; store {name} as float (float32), e.g. pandas' df['{name}'].astype('float32')" : ""));
            // A leaf inside a repeated group has as many values as its group has elements, not one a row.
            if (field.MaxRepetitionLevel > 0)
                throw DataException.In(path, $"column '{field.Path}' is nested in a repeated group, expected a top-level {TypeName(type)} column '{name}'");
            return field;
        }

        return new LogColumns(
            Find(InteractionLogSchema.UserId, typeof(long), required: true)!,
            Find(InteractionLogSchema.ItemId, typeof(long), required: true)!,
            Find(InteractionLogSchema.Timestamp, typeof(long), required: false),
            Find(InteractionLogSchema.PlayTime, typeof(long), required: false),
            Find(InteractionLogSchema.Duration, typeof(long), required: false),
            Find(InteractionLogSchema.Rating, typeof(float), required: false),
            Find(InteractionLogSchema.Like, typeof(bool), required: false),
            Find(InteractionLogSchema.Hate, typeof(bool), required: false),
            Find(InteractionLogSchema.Split, typeof(string), required: false));
    }

    /// <summary>The optional log columns by name, null where this file lacks them.</summary>
    public IEnumerable<(string Name, DataField? Field)> Optional =>
    [
        (InteractionLogSchema.Timestamp, Timestamp), (InteractionLogSchema.PlayTime, PlayTime),
        (InteractionLogSchema.Duration, Duration), (InteractionLogSchema.Rating, Rating),
        (InteractionLogSchema.Like, Like), (InteractionLogSchema.Hate, Hate), (InteractionLogSchema.Split, Split),
    ];

    // Parquet.Net 6 surfaces UTF-8 string columns as ReadOnlyMemory<char>.
    private static bool Matches(Type actual, Type expected) =>
        actual == expected || (expected == typeof(string) && actual == typeof(ReadOnlyMemory<char>));

    public static string TypeName(Type type) =>
        type == typeof(long) ? "int64"
        : type == typeof(int) ? "int32"
        : type == typeof(short) ? "int16"
        : type == typeof(float) ? "float"
        : type == typeof(double) ? "double"
        : type == typeof(bool) ? "bool"
        : type == typeof(string) || type == typeof(ReadOnlyMemory<char>) ? "string"
        : type.IsGenericType ? $"{type.Name[..type.Name.IndexOf('`')]}<{string.Join(", ", type.GetGenericArguments().Select(TypeName))}>"
        : type.Name;
}

using System.Buffers.Text;

namespace InverseLearning.Data.Import;

/// <summary>
/// A ratings file's timestamp field as milliseconds since the Unix epoch: a whole or a decimal number in the file's unit
/// (KuaiRec writes seconds as 1593898068.378, which was refused as no whole number), floored to the millisecond, so that
/// a moment before 1970 stays on its day.
/// </summary>
internal static class TimestampText
{
    /// <summary>False when the text is no number (digits, a minus sign before them or not, a point and digits after them or not).
    /// A number past what milliseconds hold gives <see cref="long.MaxValue"/>, which lies past year 9999 as the number does.</summary>
    public static bool TryReadMs(ReadOnlySpan<byte> text, TimestampUnit unit, out long ms)
    {
        ms = 0;
        var negative = text is [(byte)'-', ..];
        var unsigned = negative ? text[1..] : text;
        var point = unsigned.IndexOf((byte)'.');
        var whole = point < 0 ? unsigned : unsigned[..point];
        var fraction = point < 0 ? [] : unsigned[(point + 1)..];
        if (!IsDigits(whole) || (point >= 0 && !IsDigits(fraction))) return false;

        // The fraction's digits down to the millisecond, and whether a digit below one is not 0 (which flooring counts below 0).
        var (perUnit, fractionDigits) = unit == TimestampUnit.Seconds ? (1000L, 3) : (1L, 0);
        var kept = fraction[..Math.Min(fractionDigits, fraction.Length)];
        var belowMs = fraction[kept.Length..].IndexOfAnyExcept((byte)'0') >= 0;
        long fractionMs = 0;
        for (var digit = 0; digit < fractionDigits; digit++) fractionMs = fractionMs * 10 + (digit < kept.Length ? kept[digit] - '0' : 0);

        if (!Utf8Parser.TryParse(whole, out long units, out _) || units > long.MaxValue / perUnit - 1)
        {
            ms = long.MaxValue;
            return true;
        }
        var magnitude = units * perUnit + fractionMs;
        ms = negative ? -magnitude - (belowMs ? 1 : 0) : magnitude;
        return true;
    }

    private static bool IsDigits(ReadOnlySpan<byte> text) => !text.IsEmpty && text.IndexOfAnyExceptInRange((byte)'0', (byte)'9') < 0;
}

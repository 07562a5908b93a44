namespace InverseLearning.Data.Tests.Lake;

/// <summary>--where's normal form: what an experiment records, so one filter typed two ways is one data source.</summary>
public class PartitionFilterNormalTests
{
    [Theory]
    [InlineData("day >= 2024-01-03 and hour<5", "day>=2024-01-03,hour<5")]
    [InlineData("hour<5, day>=2024-01-03", "day>=2024-01-03,hour<5")]
    [InlineData("region == eu", "region=eu")]
    [InlineData("region='eu', region=eu", "region=eu")]
    [InlineData("region='eu west'", "region='eu west'")]
    [InlineData("region=\"o'hare\"", "region=\"o'hare\"")]
    [InlineData("region='a,b' and day<3", "day<3,region='a,b'")]
    [InlineData("region=''", "region=''")]
    public void A_filter_is_written_one_way_however_it_was_typed(string typed, string normal) =>
        Assert.Equal(normal, PartitionFilter.Parse(typed).Normal);

    [Theory]
    [InlineData("region='eu west' and day>=2024-01-03")]
    [InlineData("region=\"o'hare\",hour!=3")]
    [InlineData("region='a,b and c'")]
    [InlineData("region=''")]
    public void The_normal_form_reads_back_as_the_same_conditions(string typed)
    {
        var filter = PartitionFilter.Parse(typed);

        var again = PartitionFilter.Parse(filter.Normal);

        Assert.Equal(filter.Conditions.OrderBy(c => c.Column, StringComparer.Ordinal), again.Conditions.OrderBy(c => c.Column, StringComparer.Ordinal));
        Assert.Equal(filter.Normal, again.Normal);
    }
}

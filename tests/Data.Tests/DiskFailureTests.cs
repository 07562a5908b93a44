namespace InverseLearning.Data.Tests;

/// <summary>A failed write's reason is .NET's words for it, without the hidden file's path they end with, however deeply wrapped.</summary>
public class DiskFailureTests
{
    [Theory]
    [InlineData("No space left on device : '/repo/.staging-1/.model.onnx.tmp'", "No space left on device")]
    [InlineData("Disk quota exceeded. : '/out/.metrics.json.tmp'", "Disk quota exceeded")]
    [InlineData("Input/output error", "Input/output error")]
    public void The_reason_drops_the_path_and_the_full_stop(string message, string reason)
    {
        Assert.Equal(reason, DiskFailure.Reason(new IOException(message)));
    }

    [Fact]
    public void The_reason_is_the_innermost_failures()
    {
        var wrapped = new IOException("cannot write /out/model.onnx: No space left on device", new IOException("No space left on device : '/out/.model.onnx.tmp'"));
        Assert.Equal("No space left on device", DiskFailure.Reason(wrapped));
    }
}

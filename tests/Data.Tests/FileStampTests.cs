namespace InverseLearning.Data.Tests;

public class FileStampTests
{
    [Fact]
    public void Dot_dot_after_a_link_leaves_the_folder_the_link_points_to_as_the_kernel_does()
    {
        var root = Directory.CreateTempSubdirectory("file-stamp-").FullName;
        try
        {
            var deep = Directory.CreateDirectory(Path.Combine(root, "data", "deep")).FullName;
            File.WriteAllText(Path.Combine(root, "data", "model.onnx"), "model");
            Directory.CreateDirectory(Path.Combine(root, "other"));
            Directory.CreateSymbolicLink(Path.Combine(root, "other", "shortcut"), deep);

            // The kernel opens data/model.onnx here; other/model.onnx, the path with `..` taken first, does not exist.
            var stamp = FileStamp.Of(Path.Combine(root, "other", "shortcut", "..", "model.onnx"));

            Assert.Equal(Path.Combine(root, "data", "model.onnx"), stamp?.RealPath);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}

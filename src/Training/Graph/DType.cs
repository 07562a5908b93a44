using Onnx;

namespace InverseLearning.Training.Graph;

/// <summary>Element types our graphs use, with their ONNX <c>TensorProto.DataType</c> codes.</summary>
public enum DType
{
    Float = TensorProto.Types.DataType.Float,
    Double = TensorProto.Types.DataType.Double,
    Int64 = TensorProto.Types.DataType.Int64,
    Bool = TensorProto.Types.DataType.Bool,
}

public static class DTypeExtensions
{
    public static bool IsFloating(this DType t) => t is DType.Float or DType.Double;
}

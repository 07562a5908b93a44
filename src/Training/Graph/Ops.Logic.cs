namespace InverseLearning.Training.Graph;

// Comparisons and masks: their outputs are boolean, so no gradient flows through them.
public sealed partial class GraphBuilder
{
    public Value Greater(Value a, Value b) => Compare("Greater", a, b);
    public Value GreaterOrEqual(Value a, Value b) => Compare("GreaterOrEqual", a, b);
    public Value LessOrEqual(Value a, Value b) => Compare("LessOrEqual", a, b);

    private Value Compare(string op, Value a, Value b) => Emit(op, [a, b], Shape.Broadcast(a.Shape, b.Shape), DType.Bool, null);
}

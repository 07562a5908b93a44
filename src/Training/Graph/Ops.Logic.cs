namespace InverseLearning.Training.Graph;

// Comparisons and masks: their outputs are boolean, so no gradient flows through them.
public sealed partial class GraphBuilder
{
    public Value Greater(Value a, Value b) => Compare("Greater", a, b);
    public Value GreaterOrEqual(Value a, Value b) => Compare("GreaterOrEqual", a, b);
    public Value Less(Value a, Value b) => Compare("Less", a, b);
    public Value Equal(Value a, Value b) => Compare("Equal", a, b);
    public Value Not(Value x) => Emit("Not", [x], x.Shape, DType.Bool, null);

    private Value Compare(string op, Value a, Value b) => Emit(op, [a, b], Shape.Broadcast(a.Shape, b.Shape), DType.Bool, null);
}

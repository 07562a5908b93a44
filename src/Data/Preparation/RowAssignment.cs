namespace InverseLearning.Data;

/// <summary>Where a log row goes once labeled and split.</summary>
internal enum RowAssignment : byte
{
    Unlabeled = 0,
    TrainTrain = 1,
    TrainTest = 2,
    Valid = 3,
    Test = 4,
}

namespace Sage.MLNet.Data.AffWild2;

/// <summary>One malformed line of an annotation file.</summary>
/// <param name="Line">1-based line number in the file (line 1 is the header, line i + 2 is frame i).</param>
/// <param name="Message">What is wrong with the line.</param>
internal sealed record AnnotationProblem(int Line, string Message);

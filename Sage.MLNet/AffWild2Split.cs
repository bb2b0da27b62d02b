namespace Sage.MLNet;

/// <summary>Selects which part of an Aff-Wild2 copy <see cref="AffWild2Catalog.LoadAffWild2"/> reads.</summary>
public enum AffWild2Split
{
    /// <summary>Reads the annotated training videos (<c>Train_Set</c>).</summary>
    Train = 0,

    /// <summary>Reads the annotated validation videos (<c>Validation_Set</c>).</summary>
    Validation = 1,

    /// <summary>Reads the unannotated test videos named in the challenge's test list.</summary>
    Test = 2,
}

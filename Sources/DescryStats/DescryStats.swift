/// descry statistics engine: regression, covariance, PCA, VAR forecasting, intrinsic dimension
/// (Swinburne, PRL 131, 236101, 2023, eqs. 2–5). Pure Swift, no knowledge of Lua.
public enum DescryStats {}

using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Coordination.Api.Data.Migrations
{
    /// <inheritdoc />
    public partial class AdjacencyFunction : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Shared border between two communes, both directions, on metric geometry (see AdjacencyCalculator):
            // [length of a's boundary whose segments have both ends within tol of b's boundary, the same b→a,
            //  1 if the boundaries come within tol at all]. Segments are split at 4·tol so that a long gappy
            // segment running past a triple point still counts its shared part. Plain SQL, PARALLEL SAFE, and
            // calls no other SQL function (an inner call is re-planned per row). OFFSET 0 keeps the clipping
            // from being inlined into each segment.
            migrationBuilder.Sql("""
                CREATE OR REPLACE FUNCTION adjacency_pair(a geometry, b geometry, tol float8)
                RETURNS float8[] LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $fn$
                SELECT ARRAY[
                  (SELECT coalesce(sum(ST_Length((d).geom)), 0)
                     FROM ST_DumpSegments(ST_Segmentize(ab, 4 * tol)) d
                    WHERE ST_DWithin(ST_StartPoint((d).geom), bb, tol)
                      AND ST_DWithin(ST_EndPoint((d).geom), bb, tol)),
                  (SELECT coalesce(sum(ST_Length((d).geom)), 0)
                     FROM ST_DumpSegments(ST_Segmentize(bb, 4 * tol)) d
                    WHERE ST_DWithin(ST_StartPoint((d).geom), ab, tol)
                      AND ST_DWithin(ST_EndPoint((d).geom), ab, tol)),
                  CASE WHEN ST_DWithin(ab, bb, tol) THEN 1 ELSE 0 END]
                FROM (SELECT ST_ClipByBox2D(ST_Boundary(a), ST_Expand(b::box2d, tol)) AS ab,
                             ST_ClipByBox2D(ST_Boundary(b), ST_Expand(a::box2d, tol)) AS bb
                      OFFSET 0) p
                $fn$;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP FUNCTION IF EXISTS adjacency_pair(geometry, geometry, float8);");
        }
    }
}

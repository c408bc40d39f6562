package planning

// CoordinatePairwise is the O(n²) oracle of Coordinate, for the tests.
var CoordinatePairwise = coordinatePairwise

package org.coar.workbench.fit;

import org.coar.workbench.fit.linalg.LinearAlgebra;
import org.coar.workbench.fit.linalg.LinearAlgebraContract;
import org.coar.workbench.fit.linalg.Nd4jLinearAlgebra;

/** The ND4J backend against the contract's plain double loops. */
class Nd4jLinearAlgebraTest extends LinearAlgebraContract {
    @Override
    protected LinearAlgebra open() {
        return new Nd4jLinearAlgebra();
    }
}

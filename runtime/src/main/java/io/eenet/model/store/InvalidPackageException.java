package io.eenet.model.store;

import io.eenet.model.store.PackageValidator.Violation;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** A model package breaks one or more rules of {@link PackageValidator}; the message lists them all. */
public final class InvalidPackageException extends IOException {

    private static final long serialVersionUID = 1L;

    private final transient List<Violation> violations;

    public InvalidPackageException(Path packageDir, List<Violation> violations) {
        super(message(packageDir, violations));
        this.violations = List.copyOf(violations);
    }

    /** The broken rules, in the order they were found. */
    public List<Violation> violations() {
        return violations;
    }

    private static String message(Path packageDir, List<Violation> violations) {
        StringBuilder sb = new StringBuilder()
                .append("invalid model package ").append(packageDir).append(": ")
                .append(violations.size()).append(violations.size() == 1 ? " problem" : " problems");
        for (Violation v : violations) {
            sb.append(System.lineSeparator()).append("  ").append(v);
        }
        return sb.toString();
    }
}

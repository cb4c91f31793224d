package io.eenet.cli;

import java.util.function.Function;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Converts an option's word to an enum constant with the enum's own parser (its ids: {@code golden-ratio},
 * {@code max-softmax}, any case), so that a wrong word fails when the command line is read, with that parser's
 * message ({@code unknown exit placement 'middle'; expected one of ...}). A subclass per enum:
 * {@code @Option(..., converter = Placement.class) ExitPlacement placement;}.
 */
public abstract class Words<E extends Enum<E>> implements ITypeConverter<E> {

    private final Function<String, E> parse;

    protected Words(Function<String, E> parse) {
        this.parse = parse;
    }

    @Override
    public E convert(String word) {
        try {
            return parse.apply(word);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }
}

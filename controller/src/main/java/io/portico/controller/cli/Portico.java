package io.portico.controller.cli;

public final class Portico {
  public static void main(String[] args) {}
}

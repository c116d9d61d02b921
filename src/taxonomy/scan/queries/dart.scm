; Dart writes `recv.method(args)` flat: the primary, then sibling selectors. The selector holding the method is
; captured as @receiver; the adapter reads the receiver from the siblings before it.
(_
  (selector
    [(unconditional_assignable_selector (identifier) @method)
     (conditional_assignable_selector (identifier) @method)]) @receiver
  .
  (selector (argument_part (arguments) @args))) @call

; Cascades: braze..changeUser("u")..requestImmediateDataFlush()
(cascade_section
  (cascade_selector (identifier) @method)
  .
  (argument_part (arguments) @args)) @receiver @call

; Bare calls (declared wrappers): track("x")
(_
  (identifier) @method
  .
  (selector (argument_part (arguments) @args))) @call

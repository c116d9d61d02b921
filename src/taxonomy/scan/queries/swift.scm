; Call sites: recv.method(args), recv?.method(args), recv!.method(args), and bare method(args) (wrappers).
(call_expression
  (navigation_expression
    target: (_) @receiver
    suffix: (navigation_suffix suffix: (simple_identifier) @method))
  (call_suffix (value_arguments) @args)) @call

(call_expression
  (simple_identifier) @method
  (call_suffix (value_arguments) @args)) @call

; Property assignments (AppboyKit's ABKUser): user.email = "x" is looked up as the setter `email=`.
(assignment
  target: (directly_assignable_expression
    (navigation_expression
      target: (_) @receiver
      suffix: (navigation_suffix suffix: (simple_identifier) @method)))
  result: (_) @value) @call

; Call sites: Obj.Method(args), obj?.Method(args), and bare Method(args).
(invocation_expression
  function: (member_access_expression
    expression: (_) @receiver
    name: (identifier) @method)
  arguments: (argument_list) @args) @call

(invocation_expression
  function: (conditional_access_expression
    condition: (_) @receiver
    (member_binding_expression
      name: (identifier) @method))
  arguments: (argument_list) @args) @call

(invocation_expression
  function: (identifier) @method
  arguments: (argument_list) @args) @call
